"""A programming session: actions, the engine with its log, action files, scoring."""
