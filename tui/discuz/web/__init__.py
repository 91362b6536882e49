"""Discuz! X through its desktop web pages, for sites whose mobile API is missing or off.

``pages`` reads the default X3.x template (``template/default``) by structure: element ids
such as ``postlist``, ``post_NNN``, ``threadlist``, ``normalthread_NNN`` and forms by name or
id, never by their wording. ``session`` drives those pages for a ``DiscuzSession``.
"""
