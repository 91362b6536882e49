"""The app's screens, one module each; they talk to a ``tui.engine.ForumSession`` only."""
