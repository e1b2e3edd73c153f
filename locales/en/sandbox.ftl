## Local sandbox (the web chat's own labels; the bot's words are in main.ftl)
sandbox-title = Gongzhi · local sandbox
sandbox-banner = Local sandbox: no Telegram, no token; the bot runs the same code as in production.
sandbox-bot-name = Gongzhi bot (sandbox)
sandbox-person = I am
sandbox-chat = Chat
sandbox-chat-private = Private chat with the bot
sandbox-thread = Topic
sandbox-thread-all = All topics
sandbox-thread-general = General
sandbox-send = Send
sandbox-placeholder = Message…
sandbox-photo = Photo
sandbox-location = Location
sandbox-location-label = 📍 Location: { $lat }, { $lon }
sandbox-edited = edited
sandbox-reply = Reply
sandbox-replying = Replying to: { $text }
sandbox-cancel-reply = Cancel reply
sandbox-ok = OK
sandbox-empty-chat = No messages yet. Send /start, or tap a command below.
sandbox-topic-created = 🧵 Topic created: { $name }
sandbox-in-topic = 🧵 { $name }
sandbox-offline = Lost the connection to the sandbox; reconnecting…
sandbox-more = Show all
sandbox-staff-group = { $org } staff group
sandbox-choose-person = Choose a demo person:
sandbox-new-messages = New messages

## Errors on the page
sandbox-error-empty = The message is empty.
sandbox-error-too-long = The message is too long ({ $length } characters); the page sends at most { $max }.
sandbox-error-unknown-person = There is no demo person “{ $who }”.
sandbox-error-not-found = No such page.
sandbox-error-chat = This chat does not exist, or you are not in it.
sandbox-error-not-image = Please choose an image (JPEG, PNG, GIF, WEBP or BMP).
sandbox-error-file-too-big = The image is too large; at most { $max } MB.
sandbox-error-no-location = This demo person has no preset location.
sandbox-error-bad-request = Invalid request; reload the page and try again.
sandbox-error-generic = Something went wrong in the sandbox; please try again.

## Command line
sandbox-started = Gongzhi local sandbox is running: { $url }
sandbox-notice = This is the sandbox: the fake Telegram server and the page listen on 127.0.0.1 only, with no network. Data is kept in { $dir }. Press Ctrl+C to stop.
sandbox-reset-done = Sandbox data cleared: { $dir }
sandbox-stopped = Sandbox stopped; the conversations are saved.
sandbox-port-busy = Cannot listen on 127.0.0.1:{ $port } ({ $reason }). Choose another port with --port or GONGZHI_SANDBOX_PORT.
sandbox-refused-token = GONGZHI_BOT_TOKEN is set: the sandbox runs only without a token. Unset it, then run `gongzhi sandbox` again.
