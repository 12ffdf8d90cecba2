"""Live streams (Server-Sent Events) for TVs, consoles and phones, in one evented process.

An open stream costs a cursor, a socket and a coroutine, not a request thread: the process
(aiohttp on asyncio) keeps ONE Redis subscription and ONE recent-events buffer per stream and
fans every event out in memory. The database stays the source of truth: a Redis message only
tells the hub to read the new rows, once for all its clients. See docs/architecture.md.
"""
