package dev.porter.cli;

import dev.porter.core.AddressRange;
import dev.porter.http.StatusPage;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --status} and who may read it ({@code --status-allow}), for the HTTP server commands. The page lists
 * clients' addresses and request lines, so only loopback reads it unless told otherwise; healthz and readyz answer
 * anyone (a load balancer checks from its own address). See {@link StatusPage#viewers()}.
 */
final class StatusOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--status", description = "Also serve the live status page under /.porter/ (never a file): status "
            + "(the page), metrics (Prometheus), status.json, healthz, readyz. The page, metrics and status.json answer "
            + "loopback only (others 403) unless --status-allow says more; healthz and readyz answer anyone.")
    boolean on;

    private final List<AddressRange> allowed = new ArrayList<>();

    @Option(names = "--status-allow", paramLabel = "ADDR[/BITS]",
            description = "Clients that may read the status page, metrics and status.json besides loopback (repeatable), "
                    + "e.g. 10.0.0.0/8 for a Prometheus on the network, or 'any'. Implies --status.")
    void allow(String value) {
        on = true;
        if ("any".equalsIgnoreCase(value.strip())) {
            allowed.addAll(StatusPage.ANYONE);
            return;
        }
        allowed.add(BalancerOptions.range(spec, "--status-allow", value));
    }

    /** @return the page, with readyz turning 503 for {@code drainDelay} before a stop; null without --status */
    StatusPage page(Duration drainDelay) {
        if (!on) return null;
        List<AddressRange> viewers = new ArrayList<>(AddressRange.LOOPBACK);
        viewers.addAll(allowed);
        return StatusPage.defaults().withDrainDelay(drainDelay).withViewers(viewers);
    }
}
