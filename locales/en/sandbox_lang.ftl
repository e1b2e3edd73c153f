## The sandbox page's language switch, top right (the page's own labels only; the bot's language: /lang)
sandbox-switch-lang = 中文
