"""Ship the audit trail to a SIEM: JSON lines (stdout or a file) or syslog, plus the chain head."""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from feedback.selectors.audit import audit_rows
from feedback.services.audit import chain_head


class Command(BaseCommand):
    help = (
        "Export audit rows after --after-id as JSON lines (each with its hash and prev_hash), "
        "then one 'chain_head' line; to stdout, --output FILE (appended) or --syslog HOST:PORT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--after-id", type=int, default=0, help="export rows with id > this")
        parser.add_argument("--output", help="append JSON lines to this file")
        parser.add_argument("--syslog", metavar="HOST:PORT", help="send each line over UDP syslog")

    def handle(self, *args: Any, **options: Any) -> None:
        emit, close = self._sink(options)
        count = 0
        try:
            for row in audit_rows(after_id=options["after_id"]):
                row["at"] = row["at"].isoformat()
                emit(json.dumps({"type": "audit", **row}, sort_keys=True))
                count += 1
            head = chain_head()
            emit(
                json.dumps({"type": "chain_head", "id": head and head[0], "hash": head and head[1]})
            )
        finally:
            close()
        self.stderr.write(f"exported {count} audit row(s)")

    def _sink(self, options: dict[str, Any]) -> tuple[Any, Any]:
        if options["syslog"]:
            host, _, port = options["syslog"].rpartition(":")
            if not host or not port.isdigit():
                raise CommandError("--syslog takes HOST:PORT, e.g. siem.hospital.example:514")
            handler = logging.handlers.SysLogHandler(address=(host, int(port)))
            handler.ident = "rounds-audit: "
            handler.append_nul = False

            def send(line: str) -> None:
                handler.emit(logging.makeLogRecord({"msg": line, "levelno": logging.INFO}))

            return send, handler.close
        out = open(options["output"], "a", encoding="utf-8") if options["output"] else sys.stdout  # noqa: SIM115
        return (lambda line: out.write(line + "\n")), (
            out.close if options["output"] else out.flush
        )
