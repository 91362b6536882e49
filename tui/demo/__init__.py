"""A small Discuz! X3.5-compatible forum served over real HTTP: the demo and the integration target.

Nothing here imports Textual; the app starts it in a child process (``serve.spawn_demo_process``)
and tests start it in a thread (``server.DemoForum``).
"""
