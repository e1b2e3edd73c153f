## 工单状态机与卡片

ticket-photos = 📷 工单 { $number } 的照片（{ $n } 张）
ticket-card-moved =
    { $card }
    ↪️ 已转交「{ $to }」处理，本单位无需再操作。
staff-reroute-reason-prompt = 请说明工单 { $number } 不属本单位职责的原因（{ $max } 字以内），社区会看到这段说明。
staff-reroute-confirm =
    确认将工单 { $number } 转交社区处理？
    原因：{ $note }
btn-confirm-reroute = ✅ 确认转交社区
error-taken-by-other = 工单 { $number } 已由 { $name } 接单，如需改派请联系项目经理。
