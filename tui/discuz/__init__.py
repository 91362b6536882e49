"""The Discuz! X engine: talks to a forum's bundled mobile API (``api/mobile/index.php``).

``session.DiscuzSession`` is the ``tui.engine.ForumSession`` the screens use; ``urls.resolve``
turns pasted links into targets. Lower layers: ``api`` (HTTP), ``messages`` (server message
keys → typed errors), ``parse`` (JSON → ``tui.model``), ``charset`` (encodings). ``replay``
serves recorded exchanges through ``httpx.MockTransport`` for tests and benchmarks.
"""
