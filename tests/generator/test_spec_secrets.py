"""Credentials written into a document's servers never reach generated code."""

from __future__ import annotations

from collections.abc import Callable

from generator.pipeline import Compiled

SECRET = "hunter2-S3cret"

V3 = f"""\
asyncapi: 3.0.0
info: {{title: Servers, version: 1.0.0}}
servers:
  production:
    host: 'svc:{SECRET}@rabbit.internal:5672'
    protocol: amqp
    description: 'amqp://svc:{SECRET}@rabbit.internal:5672/prod'
channels:
  created:
    address: orders.created
    servers: [{{$ref: '#/servers/production'}}]
    messages:
      Created: {{payload: {{type: object}}}}
operations:
  send: {{action: send, channel: {{$ref: '#/channels/created'}}}}
"""

V2 = f"""\
asyncapi: 2.6.0
info: {{title: Servers, version: 1.0.0}}
servers:
  production:
    url: 'amqp://svc:{SECRET}@rabbit.internal:5672/prod'
    protocol: amqp
    variables:
      password: {{default: '{SECRET}'}}
channels:
  orders.created:
    subscribe:
      message: {{payload: {{type: object}}}}
"""


def test_server_urls_and_passwords_stay_out_of_the_package(
    compile_spec: Callable[..., Compiled],
) -> None:
    for document in (V3, V2):
        compiled = compile_spec(document)
        assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
        leaks = [path for path, text in compiled.tree.files.items() if SECRET in text]
        assert leaks == []
        assert not any(SECRET in d.message for d in compiled.diagnostics)
