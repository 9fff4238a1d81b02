/** Porter's benchmarks: peers serving the same jobs, and JMH microbenchmarks. */
package dev.porter.bench;
