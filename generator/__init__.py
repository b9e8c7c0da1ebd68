"""Compile AsyncAPI documents into typed event packages on top of ``amqp_events``."""
