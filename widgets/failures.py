"""Workers that die of an unexpected error go to the host's one handler.

Textual tells only the node that ran a worker when it fails, so every screen and widget that
runs workers mixes this in; the host then shows the error and resets the screen.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from tui.host import forum_host


class ReportsFailedWorkers(DOMNode):
    """Hands this node's failed workers to ``ForumHost.worker_failed``.

    List it after the Textual base class: Textual reads default CSS along first bases only.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            forum_host(self.app).worker_failed(self, event.worker)
