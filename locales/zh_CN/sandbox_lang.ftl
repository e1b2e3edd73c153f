## 沙盒网页右上角的语言切换（只切换网页自身的文字；机器人的语言用 /lang）
sandbox-switch-lang = English
