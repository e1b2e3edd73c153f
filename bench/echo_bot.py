"""A bare echo bot on the same chat library as Gongzhi's adapter, for bench/throughput.py.

    python bench/echo_bot.py --adapter aiogram|ptb --api http://127.0.0.1:PORT --token T

Text → the same text back with one inline button; a button → the callback is answered and
the message edited. Long polling, updates handled concurrently, no database: the cost of the
library and the HTTP round trips alone.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from typing import Any


async def run_aiogram(api: str, token: str) -> None:
    from aiogram import Bot, Dispatcher, Router
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

    bot = Bot(token=token, session=AiohttpSession(api=TelegramAPIServer.from_base(api)))
    dp, router = Dispatcher(), Router()
    presses = iter(range(1, 1 << 62))  # each edit differs ("message is not modified" otherwise)
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="echo", callback_data="e")]])

    @router.message()
    async def _text(message: Message) -> None:
        await bot.send_message(message.chat.id, message.text or "…", reply_markup=markup)

    @router.callback_query()
    async def _button(query: CallbackQuery) -> None:
        await bot.answer_callback_query(query.id)
        assert query.message is not None
        await bot.edit_message_text(
            text=f"pressed {query.data} #{next(presses)}",
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
            reply_markup=markup,
        )

    dp.include_router(router)
    await bot.delete_webhook()
    await dp.start_polling(bot, handle_signals=False, polling_timeout=10, handle_as_tasks=True)


async def run_ptb(api: str, token: str) -> None:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler

    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .job_queue(None)
        .concurrent_updates(True)
        .build()
    )
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("echo", callback_data="e")]])
    presses = iter(range(1, 1 << 62))

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message is not None:
            await app.bot.send_message(
                update.message.chat_id, update.message.text or "…", reply_markup=markup
            )
        elif update.callback_query is not None:
            q = update.callback_query
            await q.answer()
            msg: Any = q.message
            await app.bot.edit_message_text(
                f"pressed {q.data} #{next(presses)}",
                chat_id=msg.chat.id,
                message_id=msg.message_id,
                reply_markup=markup,
            )

    app.add_handler(TypeHandler(Update, on_update))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=10)
        try:
            await asyncio.Event().wait()
        finally:
            await app.updater.stop()
            await app.stop()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--adapter", choices=("aiogram", "ptb"), default="aiogram")
    p.add_argument("--api", required=True)
    p.add_argument("--token", required=True)
    args = p.parse_args()
    run = run_aiogram if args.adapter == "aiogram" else run_ptb

    async def serve() -> None:
        task = asyncio.create_task(run(args.api.rstrip("/"), args.token))
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(serve())


if __name__ == "__main__":
    main()
