## 业主共同决定（民法典第二百七十八条）：表决统计
matter-kind-ordinary = 一般事项（过半数）
matter-kind-special = 特别事项（四分之三）
tally-summary =
    { $kind }
    总专有面积 { $total_area } ㎡，业主 { $total_owners } 人
    参与表决：面积 { $participating_area } ㎡，{ $participating_owners } 人 — { $quorum }
    同意：面积 { $yes_area } ㎡，{ $yes_owners } 人；反对：面积 { $no_area } ㎡，{ $no_owners } 人
    结果：{ $result }
tally-quorum-met = 达到三分之二参与
tally-quorum-missed = 未达到三分之二参与
tally-passed = 通过
tally-not-passed = 未通过
ballot-file-invalid = 选票文件有 { $count } 处问题，未统计：
ballot-bad-header = 第 { $row } 行：表头应为 unit_code,choice（实际：{ $value }）
ballot-bad-row = 第 { $row } 行：应有两列（实际：{ $value }）
ballot-unknown-unit = 第 { $row } 行：房屋 { $value } 不在本小区的房屋登记中
ballot-unknown-choice = 第 { $row } 行：无法识别的选择“{ $value }”（可用 同意/反对/弃权 或 yes/no/abstain）
ballot-owner-conflict = 同一业主的房屋 { $value } 选择不一致
