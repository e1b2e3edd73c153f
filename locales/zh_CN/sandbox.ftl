## 本地沙盒（网页聊天的界面文字；机器人自己的话在 main.ftl）
sandbox-title = 共治 · 本地沙盒
sandbox-banner = 本地沙盒：不连接 Telegram，不需要令牌；机器人运行的是与正式环境相同的代码。
sandbox-bot-name = 共治机器人（沙盒）
sandbox-person = 我是
sandbox-chat = 对话
sandbox-chat-private = 与机器人的私聊
sandbox-thread = 话题
sandbox-thread-all = 全部话题
sandbox-thread-general = 综合
sandbox-send = 发送
sandbox-placeholder = 输入消息…
sandbox-photo = 照片
sandbox-location = 位置
sandbox-location-label = 📍 位置：{ $lat }, { $lon }
sandbox-edited = 已编辑
sandbox-reply = 回复
sandbox-replying = 回复：{ $text }
sandbox-cancel-reply = 取消回复
sandbox-ok = 知道了
sandbox-empty-chat = 还没有消息。发送 /start 开始，或点下方的命令。
sandbox-topic-created = 🧵 话题已创建：{ $name }
sandbox-in-topic = 🧵 { $name }
sandbox-offline = 与沙盒的连接中断，正在重连…
sandbox-more = 展开全文
sandbox-staff-group = { $org } 工作群
sandbox-choose-person = 请选择一位演示人员：
sandbox-new-messages = 有新消息

## 页面上的错误
sandbox-error-empty = 消息不能为空。
sandbox-error-too-long = 消息太长了（{ $length } 字），网页最多发送 { $max } 字。
sandbox-error-unknown-person = 没有这位演示人员：“{ $who }”。
sandbox-error-not-found = 页面不存在。
sandbox-error-chat = 这个对话不存在，或者您不在这个对话里。
sandbox-error-not-image = 请选择一张图片（JPEG、PNG、GIF、WEBP 或 BMP）。
sandbox-error-file-too-big = 图片太大了，最多 { $max } MB。
sandbox-error-no-location = 这位演示人员没有预设位置。
sandbox-error-bad-request = 请求无效，请刷新页面后重试。
sandbox-error-generic = 沙盒出了点问题，请稍后再试。

## 命令行
sandbox-started = 共治本地沙盒已启动：{ $url }
sandbox-notice = 这是沙盒：假的 Telegram 服务器和网页只监听 127.0.0.1，不连接网络。数据保存在 { $dir }。按 Ctrl+C 停止。
sandbox-reset-done = 已清空沙盒数据：{ $dir }
sandbox-stopped = 沙盒已停止，对话已保存。
sandbox-port-busy = 无法监听 127.0.0.1:{ $port }（{ $reason }）。请用 --port 或 GONGZHI_SANDBOX_PORT 换一个端口。
sandbox-refused-token = 已设置 GONGZHI_BOT_TOKEN：沙盒只在未设置令牌时运行。请去掉该变量后再运行 `gongzhi sandbox`。
