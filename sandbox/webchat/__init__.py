"""The sandbox web chat: one page (static/) and a JSON API over the in-process fake Bot API.
See web.py for the routes and views.py for what the page draws."""
