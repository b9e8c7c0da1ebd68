"""Contracts over time and between services: ``amqp-events-gen diff`` and ``contracts``.

Both compare compiled models, never raw text. ``diff`` classifies every change between
two versions of one document by direction (what a sender may change is what every
receiver must still accept) and by topology (what RabbitMQ would refuse to redeclare,
or leave behind). ``contracts`` checks the documents of several services against each
other: schemas, routing and examples, producer against consumer.

The stages, one module each: ``revisions`` (a document at a path or at a git
revision), ``sides`` (a document read into its model), ``schemas`` (two JSON Schemas
compared keyword by keyword), ``events`` and ``topology`` (two models compared),
``fleet`` and ``witness`` (producers against consumers), ``report`` (lines, JSON, exit
status) and ``cli``.
"""
