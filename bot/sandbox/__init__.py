"""The local sandbox: the whole bot without a Telegram token, in a web chat on 127.0.0.1.

`gongzhi sandbox` (or `gongzhi run` with no GONGZHI_BOT_TOKEN) starts it; see run.py.
"""
