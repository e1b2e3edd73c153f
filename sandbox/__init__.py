"""Dev tooling beside the runtime: the whole bot without a Telegram token, on 127.0.0.1.

    sandbox/run.py        the local sandbox: fake Bot API + the real bot + demo org + web chat
                          (`gongzhi sandbox`, or `gongzhi run` with no GONGZHI_BOT_TOKEN)
    sandbox/people.py     the demo people and staff groups, seeded into the database
    sandbox/fakeapi/      the project's fake Telegram Bot API server (also used by the tests;
                          standalone: `python -m sandbox.fakeapi`)
    sandbox/webchat/      the web chat page and its JSON API over the fake server

Nothing under bot/, handlers/, services/ or storage/ imports this package, except the CLI
entry point that starts the sandbox (bot/cli.py); tests/unit/test_layers.py checks it.
"""
