"""What AMQP cannot tell: the broker policies in effect on a service's queues.

A RabbitMQ policy (or an operator policy) can limit a queue behind the back of the
client that declared it. For a message TTL, a length limit, a queue expiry and a
delivery limit, RabbitMQ applies the lower of the policy's value and the queue
argument; where the queue sets no argument, the policy's value applies as it is. A
policy ``message-ttl: 2000`` on ``billing:archive`` empties the archive in seconds
while every declare still succeeds.

AMQP 0-9-1 gives a client no way to read policies. The management plugin's HTTP API
does (``GET /api/queues/{vhost}/{queue}``, field ``effective_policy_definition``), and
so do ``rabbitmqctl list_queues name policy`` and ``rabbitmqctl list_policies`` on the
broker's host. This module reads the HTTP API when it answers, and says so when not.
The API shows a queue's policies with its statistics, which the plugin collects every
few seconds: a queue declared a moment ago has none to show yet.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field

import kombu

from amqp_events.declare import PlanItem
from amqp_events.errors import TopologyError
from amqp_events.topology import Queue, Topology

__all__ = ["ManagementApi", "QueuePolicy", "plan_policies", "policy_effects"]

_LIMITS: Mapping[str, str] = {
    "message-ttl": "x-message-ttl",
    "max-length": "x-max-length",
    "max-length-bytes": "x-max-length-bytes",
    "expires": "x-expires",
    "delivery-limit": "x-delivery-limit",
}
"""Policy keys that make messages (or the queue) go sooner, and the argument RabbitMQ
compares them with: the lower value applies."""

_ROUTES: Mapping[str, str] = {
    "dead-letter-exchange": "x-dead-letter-exchange",
    "dead-letter-routing-key": "x-dead-letter-routing-key",
    "overflow": "x-overflow",
}
"""Policy keys that change where messages go, and the argument that wins over them."""


@dataclass(frozen=True, slots=True)
class QueuePolicy:
    """The policies RabbitMQ applies to one queue, merged as the broker merges them."""

    queue: str
    policy: str | None = None
    operator_policy: str | None = None
    definition: Mapping[str, object] = field(default_factory=dict)
    known: bool = True
    """False while the management plugin has not collected the queue's statistics."""

    @property
    def names(self) -> str:
        """The applied policies' names for a sentence, e.g. ``policy 'ttl'``."""
        parts = [f"policy {self.policy!r}"] if self.policy else []
        if self.operator_policy:
            parts.append(f"operator policy {self.operator_policy!r}")
        return " and ".join(parts) or "no policy"


def policy_effects(queue: Queue, policy: QueuePolicy) -> list[str]:
    """Say what the policy changes of the queue as declared; an empty list when nothing."""
    arguments = queue.argument_map
    effects = []
    for key, argument in _LIMITS.items():
        value = policy.definition.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        ours = arguments.get(argument)
        if ours is None:
            effects.append(f"{key}={value} applies (the queue sets no {argument})")
        elif isinstance(ours, int) and value < ours:
            effects.append(f"{key}={value} applies instead of {argument}={ours}")
    for key, argument in _ROUTES.items():
        if key in policy.definition and argument not in arguments:
            effects.append(f"{key}={policy.definition[key]} applies")
    return effects


class ManagementApi:
    """The management plugin's HTTP API of one broker, read with the broker's credentials."""

    def __init__(self, url: str, *, broker_url: str, timeout: float = 5.0) -> None:
        broker = kombu.Connection(broker_url)
        parts = urllib.parse.urlsplit(url)
        self.userid = urllib.parse.unquote(parts.username or "") or broker.userid or "guest"
        password = urllib.parse.unquote(parts.password or "") or broker.password or "guest"
        self._authorization = "Basic " + base64.b64encode(
            f"{self.userid}:{password}".encode()
        ).decode("ascii")
        netloc = parts.hostname or ""
        if parts.port:
            netloc = f"{netloc}:{parts.port}"
        self.url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        self.vhost = broker.virtual_host or "/"
        self.timeout = timeout

    @classmethod
    def of_broker(cls, broker_url: str, *, timeout: float = 5.0) -> ManagementApi:
        """The API where the plugin listens by default: the broker's host, port 15672 or 15671."""
        broker = kombu.Connection(broker_url)
        tls = bool(broker.ssl) or broker_url.startswith("amqps:")
        host = broker.hostname or "127.0.0.1"
        url = f"https://{host}:15671" if tls else f"http://{host}:15672"
        return cls(url, broker_url=broker_url, timeout=timeout)

    def describe(self) -> str:
        """The API's address and user, for the command's output (never the password)."""
        return f"{self.url}/ (user {self.userid!r})"

    def queue_policy(self, queue: str) -> QueuePolicy | None:
        """The policies in effect on ``queue``; None when the queue does not exist.

        Raises ``TopologyError`` with the reason when the API cannot be read.
        """
        path = "/api/queues/{}/{}".format(
            urllib.parse.quote(self.vhost, safe=""), urllib.parse.quote(queue, safe="")
        )
        request = urllib.request.Request(  # noqa: S310 - the operator names the URL
            self.url + path, headers={"Authorization": self._authorization}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                data = json.loads(response.read())
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise TopologyError(
                f"The management API at {self.describe()} answered {error.code} {error.reason} "
                f"for queue {queue!r}."
            ) from None
        except (OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise TopologyError(
                f"No management API answered at {self.describe()}: {reason}."
            ) from None
        if not isinstance(data, dict) or "effective_policy_definition" not in data:
            return QueuePolicy(queue=queue, known=False)
        definition = data["effective_policy_definition"]
        return QueuePolicy(
            queue=queue,
            policy=data.get("policy") or None,
            operator_policy=data.get("operator_policy") or None,
            definition=definition if isinstance(definition, dict) else {},
        )


def plan_policies(topology: Topology, api: ManagementApi) -> tuple[list[PlanItem], list[str]]:
    """Compare the policies on the topology's existing queues with what it declares.

    Returns an ``override`` item per queue whose limits a policy changes and a
    ``policy`` item per queue a policy applies to without changing any, and the
    queues too new to show their policies yet. Raises ``TopologyError`` when the API
    cannot be read.
    """
    items = []
    unknown = []
    for queue in topology.queues:
        found = api.queue_policy(queue.name)
        if found is not None and not found.known:
            unknown.append(queue.name)
        if found is None or not (found.policy or found.operator_policy):
            continue
        effects = policy_effects(queue, found)
        if effects:
            detail = f"{found.names}: {'; '.join(effects)}"
            items.append(PlanItem("queue", queue.name, "override", detail))
        else:
            shown = ", ".join(f"{k}={v}" for k, v in sorted(found.definition.items()))
            detail = f"{found.names}: {shown}; changes nothing declared"
            items.append(PlanItem("queue", queue.name, "policy", detail))
    return items, unknown
