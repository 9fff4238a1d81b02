package dev.porter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped deploy/ files pass their own tools' checks (the balancers also run them in HaproxyTest, NginxFrontTest). */
class DeployFilesTest {

    static Path deploy(String name) {
        return Path.of(System.getProperty("user.dir")).getParent().resolve("deploy").resolve(name);
    }

    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
        return out;
    }

    @Test
    void haproxyCfgIsValid() throws Exception {
        Path haproxy = Backends.require("haproxy");
        String out = run(deploy("").toAbsolutePath(), haproxy.toString(), "-c", "-f", deploy("haproxy.cfg").toString());
        assertThat(out).contains("Configuration file is valid").doesNotContain("WARNING");
    }

    @Test
    void theSystemdUnitVerifies(@TempDir Path dir) throws Exception {
        Path analyze = Backends.require("systemd-analyze");
        // Only ExecStart's program changes: the repository's launcher instead of /opt/porter/porter.
        Path launcher = Path.of(System.getProperty("user.dir")).getParent().resolve("porter").toAbsolutePath();
        String unit = Files.readString(deploy("porter@.service")).replace("/opt/porter/porter ", launcher + " ");
        Files.writeString(dir.resolve("porter@.service"), unit);
        Files.createSymbolicLink(dir.resolve("porter@8081.service"), dir.resolve("porter@.service"));
        String out = run(dir, analyze.toString(), "verify", "--man=no", dir.resolve("porter@8081.service").toString());
        assertThat(out).doesNotContain("porter@");
    }
}
