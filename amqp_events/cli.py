"""``amqp-events``: operate a service's archive and topology from the command line.

::

    amqp-events archive stats   --app billing.app --max 100     # exit 1 above 100: an alert
    amqp-events archive list    --service billing --broker amqp://... --event orders.created
    amqp-events archive show    --app billing.app MESSAGE_ID
    amqp-events archive replay  --app billing.app --event orders.created --dry-run
    amqp-events archive purge   --app billing.app --reason invalid-payload --yes
    amqp-events topology plan   --app billing.app --management http://rabbitmq:15672
    amqp-events topology declare --app billing.app

Exit status: 0 success, 1 threshold exceeded or some replays failed, 2 usage or
connection errors (with a sentence on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

import kombu

from amqp_events.app import DEFAULT_BROKER_URL, EventsApp
from amqp_events.archive import Archive, ArchivedMessage
from amqp_events.declare import declare, plan
from amqp_events.errors import AmqpEventsError, TopologyError
from amqp_events.handling import Reason
from amqp_events.management import ManagementApi, plan_policies
from amqp_events.publisher import masked_url

__all__ = ["main"]


class UsageError(AmqpEventsError):
    """The command line asks for something impossible."""


def load_app(spec: str) -> EventsApp:
    """Import ``module``, ``module:attribute`` or, as ``celery -A`` does, ``module.attribute``."""
    module_name, _, attribute = spec.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        parent, _, last = module_name.rpartition(".")
        if attribute or not parent:
            raise UsageError(
                f"Could not import the app module {module_name!r}: {error}."
            ) from error
        return load_app(f"{parent}:{last}")
    if attribute:
        candidate = getattr(module, attribute, None)
        if not isinstance(candidate, EventsApp):
            raise UsageError(
                f"{module_name}.{attribute} is {type(candidate).__name__}, not an events app "
                "created with amqp_events.events_app()."
            )
        return candidate
    apps = {id(v): v for v in vars(module).values() if isinstance(v, EventsApp)}
    if len(apps) != 1:
        raise UsageError(
            f"Module {module_name!r} holds {len(apps)} events apps; name one as "
            f"{module_name}:attribute."
        )
    return next(iter(apps.values()))


def _reason(text: str) -> str:
    """An archive reason as --reason takes it: a Reason value or the broker's own."""
    known = [reason.value for reason in Reason]
    if text in known or text.startswith("dead-lettered:"):
        return text
    raise argparse.ArgumentTypeError(
        f"{text!r} is not an archive reason; use one of {', '.join(known)}, or "
        "'dead-lettered:<broker reason>' for messages the broker parked."
    )


def _archive(args: argparse.Namespace) -> Archive:
    if args.app:
        archive = Archive.for_app(load_app(args.app))
        if args.queue:
            archive.queues = tuple(args.queue)
        return archive
    if not args.service:
        raise UsageError("Name the service with --app MODULE or with --service NAME --broker URL.")
    if args.queue:
        return Archive(args.service, broker_url=args.broker, queues=args.queue)
    event = getattr(args, "event", None)
    archive = Archive.for_service(
        args.service, broker_url=args.broker, events=(event,) if event else ()
    )
    if not event:
        sys.stderr.write(
            f"Reading {archive.queues[0]!r} only: a handler with its own archive limits parks "
            f"in {archive.names.archive_queue('<event>')!r}; name those with --queue or "
            "--event, or use --app to read every archive queue of the service.\n"
        )
    return archive


def _short_error(error: object) -> object:
    if not isinstance(error, str):
        return error
    kind, colon, text = error.partition(": ")
    return f"{kind.rsplit('.', 1)[-1]}{colon}{text}"


def _properties(message: ArchivedMessage) -> dict[str, str]:
    return {k: str(v) for k, v in message.properties.items() if k != "application_headers"}


def _print_table(rows: list[dict[str, object]], columns: Sequence[str], out: TextIO) -> None:
    if not rows:
        out.write("(no archived messages)\n")
        return
    widths = {c: max(len(c), *(len(str(r.get(c) or "")) for r in rows)) for c in columns}
    # The last column (the error) may run on: cutting it hides what went wrong.
    widths = {c: w if c == columns[-1] else min(w, 60) for c, w in widths.items()}
    out.write("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip() + "\n")
    for row in rows:
        cells = [str(row.get(c) if row.get(c) is not None else "-")[: widths[c]] for c in columns]
        out.write(
            "  ".join(
                cell.ljust(widths[c]) for cell, c in zip(cells, columns, strict=True)
            ).rstrip()
            + "\n"
        )


def _show(message: ArchivedMessage, out: TextIO) -> None:
    summary = message.summary()
    for key in ("message_id", "event", "queue", "reason", "attempts", "last_failure", "error"):
        out.write(f"{key:>13}: {summary[key] if summary[key] is not None else '-'}\n")
    out.write("   properties:\n")
    for name, shown in sorted(_properties(message).items()):
        out.write(f"               {name}: {shown}\n")
    out.write("      headers:\n")
    for key, value in sorted(message.headers.items()):
        text = str(value)
        if "\n" in text:
            text = "\n" + "\n".join(f"               {line}" for line in text.splitlines())
        out.write(f"               {key}: {text}\n")
    out.write("         body:\n")
    out.write(message.body.decode("utf-8", errors="replace") + "\n")


def cmd_stats(args: argparse.Namespace, out: TextIO) -> int:
    """Print message counts; exit 1 when the total exceeds --max."""
    stats = _archive(args).stats(by_event=not args.no_breakdown)
    if args.json:
        json.dump(
            {
                "total": stats.total,
                "queues": stats.depths,
                "events": stats.by_event,
                "reasons": stats.by_reason,
            },
            out,
            indent=2,
            sort_keys=True,
        )
        out.write("\n")
    else:
        for queue, depth in stats.depths.items():
            out.write(f"{queue}: {depth} message(s)\n")
        for title, counts in (("by event", stats.by_event), ("by reason", stats.by_reason)):
            if counts:
                out.write(f"{title}:\n")
                for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
                    out.write(f"  {count:>6}  {name}\n")
    if args.max is not None and stats.total > args.max:
        sys.stderr.write(
            f"The archive holds {stats.total} message(s), more than --max {args.max}.\n"
        )
        return 1
    return 0


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    """List archived messages, oldest first."""
    messages = _archive(args).list(
        event=args.event, reason=args.reason, older_than=args.older_than, limit=args.limit
    )
    rows = [m.summary() for m in messages]
    if args.json:
        json.dump(rows, out, indent=2)
        out.write("\n")
    else:
        for row in rows:  # the exception's class name is enough in a table
            row["error"] = _short_error(row["error"])
        _print_table(
            rows, ("message_id", "event", "reason", "attempts", "last_failure", "error"), out
        )
    return 0


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    """Show one archived message with its headers and body."""
    message = _archive(args).show(args.message_id)
    if args.json:
        json.dump(
            {
                **message.summary(),
                "properties": _properties(message),
                "headers": {k: str(v) for k, v in message.headers.items()},
                "body": message.body.decode("utf-8", errors="replace"),
            },
            out,
            indent=2,
        )
        out.write("\n")
    else:
        _show(message, out)
    return 0


def cmd_replay(args: argparse.Namespace, out: TextIO) -> int:
    """Send archived messages back to their handler queues."""
    result = _archive(args).replay(
        event=args.event,
        message_ids=args.id,
        reason=args.reason,
        older_than=args.older_than,
        limit=args.limit,
        dry_run=args.dry_run,
    )
    verb = "Would replay" if result.dry_run else "Replayed"
    out.write(f"{verb} {len(result.replayed)} message(s).\n")
    for message in result.replayed:
        out.write(f"  {message.message_id or '-'}  {message.event or '-'} -> {message.queue}\n")
    for message, reason in result.failed:
        out.write(f"  FAILED {message.message_id or '-'}: {reason}\n")
    return 1 if result.failed else 0


def cmd_purge(args: argparse.Namespace, out: TextIO) -> int:
    """Delete archived messages."""
    if not args.dry_run and not args.yes:
        raise UsageError(
            "Purging deletes messages for good; add --yes, or --dry-run to count them."
        )
    removed = _archive(args).purge(
        event=args.event,
        reason=args.reason,
        older_than=args.older_than,
        limit=args.limit,
        dry_run=args.dry_run,
    )
    out.write(f"{'Would delete' if args.dry_run else 'Deleted'} {removed} message(s).\n")
    return 0


def cmd_topology(args: argparse.Namespace, out: TextIO) -> int:
    """Compare the app's topology with the broker, or declare it."""
    app = load_app(args.app)
    topology = app.topology()
    with kombu.Connection(app.broker_url, connect_timeout=10, heartbeat=0) as connection:
        try:
            connection.connect()
        except Exception as error:
            raise UsageError(
                f"Could not connect to the broker at {masked_url(app.broker_url)}: {error}."
            ) from error
        if args.action == "declare":
            declare(topology, connection.connection)
            out.write(
                f"Declared {len(topology.exchanges)} exchange(s), {len(topology.queues)} "
                f"queue(s) and {len(topology.bindings)} binding(s) of service "
                f"{app.settings.service!r}.\n"
            )
            return 0
        items = plan(topology, connection.connection)
    api = (
        ManagementApi(args.management, broker_url=app.broker_url)
        if args.management
        else ManagementApi.of_broker(app.broker_url)
    )
    try:
        found, unknown = plan_policies(topology, api)
    except TopologyError as error:
        seen = (
            f"not visible. {error} AMQP cannot read policies, and a policy can shorten the "
            "archive's TTL or length while every declare succeeds: pass --management URL, or "
            "run 'rabbitmqctl list_queues name policy' and 'rabbitmqctl list_policies' on the "
            "broker."
        )
    else:
        items.extend(found)
        late = (
            f" {len(unknown)} queue(s) are too new for the plugin's statistics to show their "
            "policies yet: plan again in a few seconds."
            if unknown
            else ""
        )
        seen = (
            f"read from the management API at {api.describe()}, as of its last statistics "
            f"(collected every 5 s by default); queues still to create are not checked.{late}"
        )
    counts = {action: sum(i.action == action for i in items) for action in _PLAN_ACTIONS}
    for item in items:
        detail = f"  ({item.detail})" if item.detail else ""
        out.write(f"{item.action:>8}  {item.kind:<8} {item.name}{detail}\n")
    out.write(
        f"{counts['create']} to create, {counts['exists']} existing as declared, "
        f"{counts['conflict']} in conflict, {counts['override']} overridden by a broker "
        f"policy; AMQP cannot list bindings, so 'topology declare' applies all "
        f"{counts['bind']} (adding one that exists changes nothing).\n"
        f"Broker policies: {seen}\n"
    )
    return 1 if counts["conflict"] or counts["override"] else 0


_PLAN_ACTIONS = ("create", "exists", "conflict", "bind", "override", "policy")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amqp-events",
        description="Inspect and replay a service's archived events; plan or declare its topology.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    target = argparse.ArgumentParser(add_help=False)
    target.add_argument(
        "--app",
        help="Import path of the service's events app: module, module:attr or module.attr.",
    )
    target.add_argument("--service", help="Service name, when not using --app.")
    target.add_argument(
        "--broker",
        default=os.environ.get("AMQP_URL", DEFAULT_BROKER_URL),
        help="Broker URL with --service (default: $AMQP_URL or the local broker).",
    )
    target.add_argument(
        "--queue",
        action="append",
        help="Archive queue to use instead of the service's own (repeatable).",
    )
    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--event", help="Only messages of this event.")
    filters.add_argument(
        "--reason",
        type=_reason,
        help="Only messages archived for this reason, e.g. invalid-payload.",
    )
    filters.add_argument(
        "--older-than",
        type=float,
        metavar="SECONDS",
        help="Only messages archived at least this many seconds ago.",
    )
    filters.add_argument("--limit", type=int, help="At most this many messages.")

    archive = commands.add_parser("archive", help="Operate on the archive of parked events.")
    actions = archive.add_subparsers(dest="action", required=True)
    stats = actions.add_parser("stats", parents=[target], help="Count archived messages.")
    stats.add_argument(
        "--max", type=int, help="Exit with status 1 when more messages than this are archived."
    )
    stats.add_argument(
        "--no-breakdown", action="store_true", help="Skip the per-event count (no scan)."
    )
    stats.add_argument("--json", action="store_true", help="Print JSON.")
    stats.set_defaults(run=cmd_stats)
    listing = actions.add_parser("list", parents=[target, filters], help="List archived messages.")
    listing.add_argument("--json", action="store_true", help="Print JSON.")
    listing.set_defaults(run=cmd_list)
    show = actions.add_parser(
        "show", parents=[target], help="Show one message with headers and body."
    )
    show.add_argument("message_id", help="The message_id property of the message.")
    show.add_argument("--json", action="store_true", help="Print JSON.")
    show.set_defaults(run=cmd_show)
    replay = actions.add_parser(
        "replay",
        parents=[target, filters],
        help="Send messages back to their handler queues, attempts reset.",
    )
    replay.add_argument("--id", action="append", help="Only this message_id (repeatable).")
    replay.add_argument("--dry-run", action="store_true", help="Only list what would be replayed.")
    replay.set_defaults(run=cmd_replay)
    purge = actions.add_parser("purge", parents=[target, filters], help="Delete archived messages.")
    purge.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")
    purge.add_argument("--yes", action="store_true", help="Confirm the deletion.")
    purge.set_defaults(run=cmd_purge)

    topology = commands.add_parser(
        "topology", help="Compare the service's topology with the broker."
    )
    topology_actions = topology.add_subparsers(dest="action", required=True)
    for name, text in (
        ("plan", "Show what exists, what is missing and what conflicts."),
        ("declare", "Declare every exchange, queue and binding."),
    ):
        sub = topology_actions.add_parser(name, help=text)
        sub.add_argument("--app", required=True, help="Import path of the service's events app.")
        sub.set_defaults(run=cmd_topology)
        if name == "plan":
            sub.add_argument(
                "--management",
                metavar="URL",
                help="RabbitMQ management API that shows the broker policies on the queues "
                "(default: the broker's host, port 15672, with the broker's credentials).",
            )
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        status: int = args.run(args, out or sys.stdout)
    except AmqpEventsError as error:
        sys.stderr.write(f"amqp-events: {error}\n")
        return 2
    return status
