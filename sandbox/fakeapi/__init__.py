"""The project's own fake Telegram Bot API server (end-to-end tests and the sandbox).

    api = FakeBotApi(limits=None)            # or Limits(...) (default: Telegram-like limits)
    await api.start()                         # http://127.0.0.1:<random port>
    api.add_user(1001, "Li Wei")
    api.add_group(-100500, "Staff", is_forum=True, members=[1001])
    # aiogram:  AiohttpSession(api=TelegramAPIServer.from_base(api.base_url))
    # PTB:      Bot(api.token, base_url=f"{api.base_url}/bot", base_file_url=f"{api.base_url}/file/bot")
    api.send_text(1001, "/start")             # queues an Update for getUpdates / the webhook
    call = await api.wait_for(lambda c: c.method == "sendMessage" and c.ok)
    api.messages(1001)                        # chat history with edits applied
    await api.stop()

See the module docstrings of server.py (Bot API), control_http.py (/_fake HTTP API) and
limits.py (flood limits).
"""

from sandbox.fakeapi.errors import ApiError
from sandbox.fakeapi.images import make_png
from sandbox.fakeapi.limits import Limits, ManualClock
from sandbox.fakeapi.server import Call, FakeBotApi

__all__ = ["ApiError", "Call", "FakeBotApi", "Limits", "ManualClock", "make_png"]
