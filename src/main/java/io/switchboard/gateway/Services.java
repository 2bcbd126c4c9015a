package io.switchboard.gateway;

import io.switchboard.auth.DevTokens;
import io.switchboard.backend.Proxies;
import io.switchboard.cluster.NodeDirectory;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.metrics.GatewayMetrics;
import io.switchboard.presence.PresenceService;
import io.switchboard.routing.ControlLog;
import io.switchboard.routing.Memberships;
import io.switchboard.routing.Publisher;
import io.switchboard.routing.StreamBus;
import io.switchboard.store.Store;
import io.switchboard.webhooks.WebhookNode;

import java.time.Clock;

/**
 * What every gateway loop of one node shares. All members are thread-safe.
 *
 * @param clock     "now" for rules about the age of data (see {@link io.switchboard.NodeParts#clock()})
 * @param devTokens null unless the node runs in dev mode
 * @param webhooks  the node's webhooks ({@link WebhookNode#disabled()} without webhooks.url)
 */
public record Services(SwitchboardOptions options, Clock clock, Store store, StreamBus bus, PresenceService presence,
                       Authentication auth, Proxies proxies, DevTokens devTokens, GatewayMetrics metrics, NodeState state,
                       Publisher publisher, Memberships memberships, ControlLog controlLog, NodeDirectory directory, NodeControl control,
                       WebhookNode webhooks) {
}
