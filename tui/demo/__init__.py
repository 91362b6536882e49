"""A small Discuz! X3.5-compatible forum served over real HTTP: the demo and the integration target.

Nothing here imports Textual. The app starts it in a child process
(``serve.spawn_demo_process``), ``forum-tui serve-demo`` in the foreground (``serve.run_serve``)
and tests in a thread (``server.DemoForum``, the ``forum_server`` fixture).

Modules: ``accounts`` (demo users and passwords), ``server`` (HTTP, ``DemoForum``), ``site``
(sessions, cookies, formhash, log-in checks, dispatch), ``mobile`` (the
``api/mobile/index.php`` modules), ``web`` (findpost redirects, the AJAX web log-in,
attachments, images), ``bbcode`` (BBCode to Discuz HTML, v4 and v1 flavours), ``seed`` (demo
content), ``store`` (SQLite), ``members``, ``dates``, ``images`` (PNG maker), ``exchange``
(request/response values).
"""
