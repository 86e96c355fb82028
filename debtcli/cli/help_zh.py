"""Chinese help, keyed by the English text it translates (whitespace collapsed), as gettext keys
a translation by its msgid. tests/test_help.py checks that every command, option and
placeholder has its translation here and that nothing here is left over. Choices are named by
the pack's Chinese words ([words] in packs/cn.toml), which the options accept.
"""

METAVARS = {
    "ACCOUNT": "账户",
    "AMOUNT": "金额",
    "BANK": "银行",
    "CARD": "卡",
    "CARD...": "卡...",
    "CARD=PERCENT": "卡=年利率",
    "CHANNEL": "方式",
    "CLAIM": "说法",
    "CODE": "代码",
    "DATE": "日期",
    "DAY": "日",
    "DIGITS": "数字",
    "ENTRY": "记录号",
    "FILE": "文件",
    "FLAG": "标记",
    "ID": "工号",
    "KIND": "类型",
    "KINDS": "类型",
    "MINUTES": "分钟",
    "N": "数量",
    "RULE": "规定",
    "FOLDER": "文件夹",
    "URL": "地址",
    "NAME": "名字",
    "NUMBER": "号码",
    "PAYMENT": "还款号",
    "STRATEGY": "方式",
    "TEXT": "文字",
    "RUN": "批次",
    "WHAT": "内容",
    "WHEN": "时间",
    "WHO": "对象",
    "bank|regulator": "银行|监管",
    "in|out|unknown": "来|去|方向未知",
    "md|html|docx": "md|html|docx",
    "PATH": "路径",
    "zh|en": "zh|en",
    "PACK": "规则包",
}

_CARD = "卡：编号（#3）、卡号后四位（4821）、名称或银行（中信、CITIC）。"
_JSON = "输出 JSON，而不是表格。"
_FORCE = "不再询问直接执行，即使看起来像是输错了。"

TEXT = {
    # debtcli
    "Keep control of an overdue credit card, on your own machine. Record your cards, what you "
    "owe and what you pay; log every collector contact as evidence; see which collection stage "
    "comes next and when; write letters to the bank. Start with: debtcli demo Then: debtcli "
    "card add --bank 中信银行 --last4 4821": "在你自己的电脑上，掌握逾期信用卡的情况。\n\n"
    "记录你的信用卡、欠款和还款；把每一次催收联系记录为证据；查看下一个催收阶段以及"
    "预计何时到来；给银行写信。所有内容只保存在这台电脑上。\n\n"
    "  第一次使用：debtcli 开始\n"
    "  先看示例：  debtcli demo\n"
    "  添加一张卡：debtcli card add --bank 中信银行 --last4 4821",
    "The store file (default: your user data folder; see `debtcli path`).": "数据文件（默认在你的用户数据文件夹；见 `debtcli path`）。",
    "Output language: zh or en (default: from your locale).": "输出语言：zh（中文）或 en（英文），默认跟随系统语言。",
    "Pretend today is DATE for every computation, e.g. to ask 'where will I be on 1 March?'.": "把“今天”当作指定日期来计算，例如想知道“到 3 月 1 日我会怎样？”。",
    "Rule pack: a built-in name (cn) or a path to a .toml file.": "规则包：内置名称（cn）或 .toml 文件的路径。",
    "Show the version and exit.": "显示版本号并退出。",
    "Show where your store and evidence files are kept.": "显示数据文件和证据文件保存在哪里。",
    "Print JSON instead of a table.": _JSON,
    "The card: its id (#3), last four digits (4821), name or bank (中信, CITIC).": _CARD,
    "Do it without asking, even if it looks like a typo.": _FORCE,
    # overdue, settle
    "Record (or correct) a card's overdue episode. Correcting its start date or amount shows "
    "old → new and asks first (--force in a script); the old values are kept.": "记录（或更正）一张卡的逾期情况。更正开始日期或金额时会先显示“原值 → 新值”并询问"
    "（脚本中用 --force）；原值会保留。",
    "The due date you missed (day 1 overdue is the day after).": "错过的还款日（逾期第 1 天是它的第二天）。",
    "Everything owed now, e.g. 62400 or 6.24万.": "现在欠的全部金额，例如 62400 或 6.24万。",
    "The principal (本金) within the amount.": "其中的本金。",
    "Interest within it.": "其中的利息。",
    "Fees and penalties (违约金) within it.": "其中的费用和违约金。",
    "Mark a card's overdue episode settled (e.g. after a settlement agreement): it then owes "
    "¥0.": "把一张卡的逾期标记为已结清（例如达成结清协议后）：之后欠款为 ¥0。",
    "Settlement date (default today).": "结清日期（默认今天）。",
    "What you paid to settle, e.g. 12000 (a discounted settlement is common); recorded as a "
    "payment.": "为结清实际支付的金额，例如 12000（打折结清很常见）；会记为一笔还款。",
    "Build a realistic sample store and show the dashboard, to see what debtcli does. Uses a "
    "throwaway folder unless --db is given.": "生成一份贴近真实的示例数据并显示概况，看看 debtcli 能做什么。除非指定 --db，"
    "否则使用临时文件夹。",
    # backup, restore, export, import
    "A consistent copy of the store and every evidence file, checked after writing. Safe while "
    "debtcli is in use elsewhere.": "备份数据文件和全部证据文件，写完后自动校验。在别处正在使用 debtcli 时也可安全备份。",
    "The backup file to write (.zip).": "要写入的备份文件（.zip）。",
    "Restore a backup: its sums and evidence chain are checked before anything is replaced.": "从备份恢复：先校验备份的哈希值和证据链，通过后才替换任何内容。",
    "A backup made by `debtcli backup`.": "用 `debtcli backup` 做的备份。",
    "Replace a store that already has data.": "替换已有数据的数据文件。",
    "Every record in the store as JSON, to keep or move; `debtcli import --json` reads it back "
    "exactly. Attachments stay in the evidence folder (a backup carries both).": "把数据文件中的全部记录导出为 JSON，便于保存或迁移；`debtcli import --json` 可原样读回。"
    "附件仍在证据文件夹中（备份会同时包含两者）。",
    "Write the whole store as JSON (the only format for now).": "以 JSON 导出全部数据（目前只支持这一种格式）。",
    "Write to a file instead of the screen.": "写入文件，而不是显示在屏幕上。",
    "Load a JSON export into an empty store (use --db NEW.db); the evidence chain is checked "
    "before anything lands.": "把 JSON 导出文件导入一个空的数据文件（用 --db 新文件.db）；导入前先校验证据链。",
    "A file written by `debtcli export --json`.": "由 `debtcli export --json` 写出的文件。",
    "The file is a JSON export.": "该文件是 JSON 导出文件。",
    # violations, plan, agree
    "List logged contacts that may break the conduct rules, with each rule's source and the "
    "entry's hash.": "列出可能违反催收规定的联系记录，附每条规定的出处和记录的哈希值。",
    "Only this card.": "只看这张卡。",
    "What you can afford each month, split across your overdue cards, and the month-by-month "
    "schedule, capped at the rule pack's longest installment term (60 months in China).": "你每月能还多少、如何分到各张逾期的卡，以及逐月还款计划；期数不超过规则包规定的最长"
    "分期期限（中国为 60 期）。",
    "The cards to include (default: every card with an open overdue episode).": "要计入的卡（默认：所有尚未结清逾期的卡）。",
    "Your household's monthly income.": "你家庭的月收入。",
    "Essential monthly expenses: rent, food, school, medicine.": "每月必要支出：房租、吃饭、上学、看病。",
    "Pay every card in this many equal monthly installments instead.": "改为每张卡都按这个期数等额分期。",
    "proportional (all finish together), avalanche (highest --rate first) or snowball "
    "(smallest first).": "proportional（按比例，同时还清）、avalanche（利率最高的先还，见 --rate）或 "
    "snowball（金额最小的先还）。",
    "For avalanche: CARD=annual percent, e.g. 4821=18.25 (repeat per card).": "用于 avalanche：卡=年利率百分数，例如 4821=18.25（每张卡写一次）。",
    "The first payment date (default: a month from today).": "第一次还款日期（默认：一个月后）。",
    "Every overdue card (the default).": "所有逾期的卡（默认）。",
    "Record an installment agreement the bank granted; status and stage then track each "
    "installment against your payments and warn before and after a due date.": "记录银行同意的分期协议；之后 status 和 stage 会对照你的还款跟踪每一期，"
    "并在到期前后提醒。",
    "How many installments.": "分多少期。",
    "The monthly installment agreed.": "约定的每期金额。",
    "The first installment's due date.": "第一期的还款日。",
    "What the bank waived, if anything (for your records).": "银行减免的金额（如有，供你留档）。",
    "When the agreement was made (default today).": "达成协议的日期（默认今天）。",
    "e.g. the agreement's reference number.": "例如协议编号。",
    # setup, stage, facts, help-lines, status
    "A first run, one question at a time: your cards and since when each is overdue, then "
    "where you stand. Asks in your language; Ctrl-C stops (cards already added stay).": "第一次使用：逐项提问，添加你的卡和每张卡从何时开始逾期，最后显示你的现状。"
    "按 Ctrl-C 可停止（已添加的卡会保留）。",
    "What stage of collection a card is in, what comes next and when, and the legal "
    "indicators (criminal threshold, credit record, limitation period), with sources.": "这张卡处于哪个催收阶段、下一步是什么以及预计何时到来，并列出相关法律指标"
    "（刑事门槛、征信、诉讼时效）及出处。",
    'What the rules say about a collector\'s claim ("they said I will be arrested"), and what '
    "to do when a lawsuit or a letter comes, with sources.": "对照催收人员的说法（“他们说要抓我”）看规定怎么说，以及收到起诉或信函时怎么办，附出处。",
    "What the collector said (arrest, criminal-record, blacklist, family-liable, employer, "
    "children-school, court-today, pay-to-person) or a topic (summons, credit-report, "
    "letter-check). Without it: all of them.": "催收人员的说法（抓人、案底、黑名单、家人还、通知单位、孩子上学、法院今天来、"
    "打到个人账户）或一个主题（传票、征信、催收函核对）。不填则全部列出。",
    "Numbers to call: the police, anti-fraud advice, complaints about a bank, legal aid, "
    "someone to talk to, and the courts' service line.": "求助电话：报警、反诈咨询、投诉银行、法律援助、心理援助，以及法院的诉讼服务热线。",
    "Where you stand: every active card, days overdue, owed, stage and what comes next.": "你的现状：每张在用的卡、逾期天数、欠款、所处阶段和下一步。",
    # timeline, report, calendar
    "Everything that happened and what is predicted, in order: missed dates, payments, "
    "contacts (with possible violations), letters, agreements and installments, stages passed "
    "and to come, and legal dates.": "按时间顺序列出发生过的和预计会发生的一切：逾期日、还款、催收联系（标出可能的违规）、"
    "信件、协议和各期还款、已经历和将到来的阶段，以及法律上的重要日期。",
    "Only this card (default: all).": "只看这张卡（默认：全部）。",
    "From this date.": "从这一天起。",
    "Up to this date.": "到这一天为止。",
    "Only these kinds: overdue, payment, settled, contact, letter, agreement, installment, "
    "stage, legal.": "只看这些类型：overdue（逾期）、payment（还款）、settled（结清）、contact（联系）、"
    "letter（信件）、agreement（协议）、installment（分期）、stage（阶段）、legal（法律日期）。",
    "Past events shown (the latest); predicted ones are always shown.": "显示多少条过去的事件（最近的）；预计的事件总会显示。",
    "Every event.": "显示全部事件。",
    "A printable, self-contained HTML report (no network): each card's summary, a chart of "
    "what you owed with the collection stages, the timeline, the possible violations with "
    "their sources, and the evidence hashes.": "可打印的独立 HTML 报告（不联网）：每张卡的概况、欠款与催收阶段图、时间线、"
    "可能的违规及出处，以及证据哈希值。",
    "The HTML file to write.": "要写入的 HTML 文件。",
    "Every entry, however long the log (otherwise a log of more than 200 entries is "
    "summarised).": "包含全部记录，无论多长（否则超过 200 条的记录会生成摘要）。",
    "Upcoming installment due dates, predicted stage dates and legal dates as an iCalendar "
    "file with reminders, to import into your phone's calendar.": "把即将到期的分期、预计的阶段日期和法律日期导出为带提醒的日历文件（.ics），"
    "可导入手机日历。",
    "The .ics file to write.": "要写入的 .ics 文件。",
    # card
    "Your cards: add, list, show, edit, archive.": "你的信用卡：添加、列出、查看、修改、归档。",
    "Add a card. Only the last four digits are stored; a second card with the same bank and "
    "last four needs --force and is then named by its #id.": "添加一张卡。只保存卡号后四位；同一银行、后四位相同的第二张卡需要加 --force，"
    "之后用 #编号 区分。",
    "The bank's name, e.g. 中信银行 or CMB.": "银行名称，例如 中信银行 或 招行。",
    "The last four digits of the card. Never the full number.": "卡号后四位。切勿输入完整卡号。",
    "A short name you will recognise.": "一个你认得出的简称。",
    "The credit limit, e.g. 50000.": "信用额度，例如 50000。",
    "Day of the month payment is due.": "每月的还款日（几号）。",
    "Statement day of month.": "每月的账单日（几号）。",
    "Currency code (default CNY).": "币种代码（默认 CNY）。",
    "List your cards.": "列出你的卡。",
    "Include archived cards.": "包括已归档的卡。",
    "Show one card with its overdue episodes and payments.": "查看一张卡及其逾期和还款记录。",
    "Change a card's details. Making it a second card of the same bank and last four needs "
    "--force, as adding one does.": "修改卡片信息。改成与另一张卡同一银行、后四位相同时，与添加卡"
    "一样需要加 --force。",
    "New bank name.": "新的银行名称。",
    "New last four.": "新的卡号后四位。",
    "Hide a card from the dashboard; its history is kept.": "在概况中隐藏一张卡；历史记录会保留。",
    # pay
    "Payments: record one (`pay CARD AMOUNT`), list them, or void one entered by mistake.": "还款：记录一笔（`pay 卡 金额`）、列出，或作废一笔录错的还款。",
    "Record a payment; paying everything owed settles the episode. More than is owed asks "
    "first (--force in a script).": "记录一笔还款；还清全部欠款即结清。超过欠款时会先询问（脚本中用 --force）。",
    "What you paid, e.g. 3000.": "还了多少，例如 3000。",
    "When you paid (default today).": "还款日期（默认今天）。",
    "A note, e.g. the receipt no.": "备注，例如回单号。",
    "A card's payments, with the ids `pay void` takes.": "列出一张卡的还款，附 `pay void` 要用的编号。",
    "Show voided payments too, with when, by whom and why.": "也显示已作废的还款，以及作废时间、操作人和原因。",
    "Void a payment entered by mistake. It is kept (shown by `pay list --history`) but no "
    "longer counts; status recomputes.": "作废一笔录错的还款。记录会保留（`pay list --history` 可见），但不再计入；现状会重新计算。",
    "The payment's # from `pay list CARD`.": "`pay list 卡` 显示的还款编号。",
    "Why it is void, e.g. 'typed the wrong amount'.": "作废原因，例如“金额输错了”。",
    # log
    "The contact log: every collector call, SMS, letter and visit, kept as evidence "
    "(append-only, hash-chained).": "催收联系记录：每一次电话、短信、信函和上门都作为证据保存（只增不改，哈希链）。",
    "Show the contact log, oldest first, with possible violations marked.": "查看联系记录，按时间先后排列，并标出可能的违规。",
    "Up to and including this date.": "到这一天为止（含当天）。",
    "Only these channels.": "只看这些联系方式。",
    "Show originals and corrections.": "同时显示原记录和更正。",
    "Write CSV (the `log import` format).": "输出 CSV（`log import` 可读的格式）。",
    "The table shows the latest N entries (JSON and CSV give all).": "表格显示最近的 N 条（JSON 和 CSV 输出全部）。",
    "Show every entry in the table.": "在表格中显示全部记录。",
    "Only this rule, e.g. quiet-hours or third-party (repeatable).": "只看这条规定，例如 quiet-hours（夜间催收）或 third-party（联系第三人）（可多次使用）。",
    "The table shows the latest N (JSON and CSV give all).": "表格显示最近 N 条（JSON 和 CSV 输出全部）。",
    "Show every one in the table.": "在表格中显示全部。",
    "Write CSV.": "输出 CSV。",
    "Import contacts kept in a spreadsheet: all rows or none.": "从表格导入联系记录：要么全部导入，要么一条都不导入。",
    "A CSV file whose header is card plus the long option names of `log add` with _ for - (at, "
    "channel, party, org, note, …); missed takes yes or no (是/否, 1/0).": "CSV 文件，"
    "表头为 card 加上 `log add` 的长选项名（- 写作 _），如 at、channel、party、org、note 等；值可以"
    "用中文（电话、催收公司、家人……）；missed 列填“是”或“否”（也可填 1/0）。",
    "Record a collector contact as evidence. Prompts for what is missing when run in a "
    "terminal.": "把一次催收联系记录为证据。在终端中运行时，会逐项询问缺少的内容。",
    "When it happened: '2026-11-20 22:40', 'yesterday 22:40', '3 days ago 22:40', '22:40'. "
    "Default now. A date alone means midday.": "发生时间：“2026-11-20 22:40”“昨天 22:40”"
    "“三天前 22:40”“22:40”或“11月20日 晚上10点40”。"
    "默认现在。只写日期表示当天中午。",
    "sms, call, letter, lawyer-letter, visit, email, app, wechat or other.": "电话、短信、信函、律师函、上门、电子邮件、App推送、微信或其他（也可用英文代码）。",
    "A call you did not answer (counts toward the daily attempts limit).": "未接来电（计入每日拨打次数限制）。",
    "in (they contacted you, default), out (you contacted them), or unknown (an imported "
    "recording: not counted as theirs until you say).": "来（对方联系你，默认）、去（你联系对方）或方向未知"
    "（导入的录音：在你说明之前不算作对方的联系）。",
    "Also log what was logged before and withdrawn (e.g. an import made with the wrong card, "
    "withdrawn with log withdraw --import RUN).": "把曾记录又撤回的内容也重新记录（例如用错了卡的导入，"
    "已用 log withdraw --import 批次 撤回）。",
    "Or simply what you can pay each month, e.g. 3000 (instead of --income and --expenses).": "或者直接给出"
    "每月能还多少，例如 3000（代替 --income 和 --expenses）。",
    "Show every proposal with its reason (not only the ends); write nothing.": "显示每条拟记录的内容及理由"
    "（不只是首尾）；不写入任何内容。",
    "Every proposal as JSON, with the reasons it was proposed; writes nothing.": "以 JSON 列出每条拟记录的内容及"
    "理由；不写入任何内容。",
    "Who: bank, agency, law-firm, court, unknown, or impostor (someone using the bank's name: "
    "the bank's hotline denied them).": "对方是谁：银行、催收公司、律所、法院、不知道，或冒充者（假借银行名义，银行客服否认）。",
    "The company, e.g. 某某资产管理有限公司.": "对方公司，例如 某某资产管理有限公司。",
    "The collector's name as given.": "催收人员自称的姓名。",
    "Their employee number.": "对方的工号。",
    "The number they called from.": "对方打来的号码。",
    "How long the call lasted.": "通话时长（分钟）。",
    "Who they reached: self (default), family, employer, colleague, friend, contacts-list or "
    "other.": "联系了谁：本人（默认）、家人、单位、同事、朋友、通讯录或其他人。",
    "Visits: how many people came.": "上门：来了几个人。",
    "Visits: what they showed: work-id, authorization or none (repeat or comma-separate).": "上门：对方出示了什么：工作证、授权书或没有（可重复或用逗号分隔）。",
    "The amount they demanded.": "对方要求还多少。",
    "Where they asked the money to go.": "对方要求把钱打到哪里。",
    "What was promised, by either side.": "任何一方作出的承诺。",
    "The date of the promise.": "承诺的日期。",
    "What they claimed (see `debtcli facts`): arrest, criminal-record, blacklist, "
    "family-liable, employer, children-school, court-today, pay-to-person.": "对方的说法（见 `debtcli facts`）：抓人、案底、黑名单、家人还、通知单位、孩子上学、"
    "法院今天来、打到个人账户。",
    "threat, insult, violence, impersonation, repeated, no-seal or other.": "威胁、辱骂、暴力、冒充公检法、反复骚扰、没有公章或其他。",
    "Letters: it carries no bank seal (a collection letter must; see `debtcli facts "
    "letter-check`).": "信函：没有银行公章（催收函必须盖章；见 `debtcli facts 催收函核对`）。",
    "What was said, in your words.": "对方说了什么，用你自己的话写。",
    "A recording, photo or screenshot (repeatable). Copied into the evidence folder.": "录音、照片或截图（可多次使用）。会复制到证据文件夹。",
    "Correct an entry by appending a correction; the original is kept and still shown with "
    "`log list --history`.": "通过追加更正来更正一条记录；原记录保留，`log list --history` 仍可查看。",
    "The entry to correct.": "要更正的记录编号。",
    "Take an entry that should never have been logged out of every count (violations, stages, "
    "the limitation period, letters, reports). It stays in the chain and in bundles, marked "
    "withdrawn with when and why (`log list --history`); nothing is deleted.": "把一条本不该记录的"
    "内容从所有统计中撤出（违规、阶段、诉讼时效、信件、报告）。它仍保留在哈希链和证据包中，标明撤回的时间和原因"
    "（`log list --history`）；不会删除任何内容。",
    "The entry to withdraw (its # in `log list`).": "要撤回的记录（`log list` 中的编号）。",
    "Why it should never have been logged, e.g. 'a bank advert'.": "为什么本不该记录，例如“银行广告”。",
    "Withdraw everything one import logged (its number is said when it ends).": "撤回一次导入记录的全部"
    "内容（导入结束时会显示批次编号）。",
    # phone imports, numbers
    "Log the call recordings your phone made: time and number from each file's name (Xiaomi, "
    "Huawei/Honor, vivo, OPPO/OnePlus/realme, Samsung, LineageOS, BCR; else the file's date, "
    'said in the entry), who dialled only where the name says it (else "direction unknown", '
    "nobody's contact until you say), the length, the recording attached. A recording already "
    "logged is skipped.": "把手机的通话录音记为证据：时间和号码取自文件名（小米、华为/荣耀、vivo、OPPO/一加/realme、"
    "三星、LineageOS、BCR；否则取文件日期，并在记录中注明）；只有文件名写明时才记录谁打给谁（否则记为“方向未知”，"
    "在你说明之前不算作任何一方的联系），附上时长和录音文件。已记录过的录音会跳过。",
    "A folder copied from the phone, e.g. MIUI/sound_recorder/call_rec or Sounds/CallRecord "
    "(searched with its subfolders).": "从手机复制出的文件夹，例如 MIUI/sound_recorder/call_rec 或 Sounds/CallRecord（包括子文件夹）。",
    "Log everything shown without asking.": "不再询问，记录显示的全部内容。",
    "Show what would be logged; write nothing.": "只显示将记录的内容，不写入任何东西。",
    "The card for a number the book does not know (otherwise asked, or skipped with --yes).": "号码本中没有的号码对应哪张卡（否则会询问；用 --yes 时跳过）。",
    "Log collection messages from an Android SMS backup: only those from a number in the book "
    "or with a collection word (逾期, 催收, 律师函, a bank's name …); their text becomes the "
    "note and the claims in it (抓人, 黑名单 …) are flagged. Personal messages are never kept.": "从安卓短信备份中记录催收短信：只保留号码本中号码发来的，或含催收词语（逾期、催收、律师函、"
    "银行名称……）的短信；短信内容作为备注，其中的说法（抓人、黑名单……）会被标出。个人短信绝不保留。",
    'The .xml that "SMS Backup & Restore" wrote.': "“SMS Backup & Restore”生成的 .xml 文件。",
    "The number book: whose number is whose (your bank's 95558, an agency's line), so that "
    "imported recordings and messages find their card.": "号码本：哪个号码是谁的（银行的 95558、催收公司的电话），导入录音和短信时据此找到对应的卡。",
    "Say whose a number is. Numbers you log with --phone are learned without this.": "登记号码是谁的。用 --phone 记录过的号码会自动记住，不必登记。",
    "The number, as it shows on your phone (95558, 400-812-3456, +86 138 1234 5678).": "号码，照手机上显示的写（95558、400-812-3456、+86 138 1234 5678）。",
    "The card calls from it are about.": "这个号码打来是为了哪张卡。",
    "Or the bank (its card is found when you have one there), e.g. 中信银行.": "或者银行（你在该行有卡时会自动找到），例如 中信银行。",
    "Who answers on it, e.g. 某某资产管理有限公司.": "这个号码是谁在用，例如 某某资产管理有限公司。",
    "bank, agency, law-firm, court, unknown or impostor (Chinese words too).": "银行、催收公司、律所、法院、不知道或冒充者（英文代码也可以）。",
    "The number book, and the numbers the log has learned.": "号码本，以及从联系记录中自动记下的号码。",
    # evidence
    "Check and export the evidence log.": "校验和导出证据记录。",
    "Recompute every hash: exit 0 if the log is intact, 1 naming every entry or attachment "
    "that was changed, removed, reordered or inserted. With timestamps (evidence stamp), also "
    "checks each token and says by when each entry provably existed.": "重新计算每一个哈希值：记录完好时退出码为 0；否则为 1，并列出每一条被修改、删除、"
    "调换顺序或插入的记录或附件。有时间戳（evidence stamp）时，还会校验每个时间戳令牌，"
    "并说明每条记录最晚在何时已经存在。",
    "Get a trusted timestamp (RFC 3161) over the log's newest entry from each timestamp "
    "authority you chose: proof from outside your machine that every entry existed, as "
    "recorded, no later than that time. Needs the network; without it the request waits.": "向你选择的每个时间戳服务（TSA）为最新一条记录取得可信时间戳（RFC 3161）：来自你电脑之外的"
    "证明，说明每条记录最晚在那个时间已按现状存在。需要联网；没有网络时请求会排队等待。",
    "A timestamp authority's address, e.g. https://freetsa.org/tsr (remembered; repeat the "
    "command with another to use several).": "时间戳服务的地址，例如 https://freetsa.org/tsr（会记住；换一个地址再运行一次即可同时使用多个）。",
    "The TSA's root certificate (PEM) to pin it to (remembered).": "用于固定该时间戳服务的根证书（PEM 格式，会记住）。",
    "Check an exported bundle.zip on its own instead of the store.": "单独校验一个导出的证据包 bundle.zip，而不是数据文件。",
    "With --bundle: the TSA root certificate (PEM) you trust; every timestamp in the bundle must chain to it. Without it, the root the bundle brings is only shown, with its fingerprint.": "与 --bundle 同用：你信任的时间戳服务根证书（PEM）；证据包中的每个时间戳都必须能追溯到它。不给出时，证据包自带的根证书只会连同指纹一起显示出来。",
    "Export the log as a bundle a regulator or lawyer can check: entries (CSV, JSON), "
    "attachments, a SHA-256 manifest with the chain head, and an HTML summary.": "把记录导出为监管机构或律师可以核验的证据包：记录（CSV、JSON）、附件、含链头的 "
    "SHA-256 清单，以及 HTML 摘要。",
    "The bundle to write (.zip).": "要写入的证据包（.zip）。",
    "Mask phone numbers, agent ids and names and long numbers in notes, and leave out "
    "attachments: for sharing in a public forum.": "遮盖电话号码、工号、姓名以及备注中的长数字，并且不含附件：用于在公开论坛分享。",
    "With --redact: a name to hide wherever it appears, e.g. yours or a relative's (repeatable; "
    "agent names are always hidden).": "与 --redact 一起用：在任何地方都要隐藏的姓名，例如你自己或亲属的（可多次使用；"
    "催收人员的姓名总会隐藏）。",
    # letter
    "Letters to your bank or the regulator, filled from your records: installment requests, "
    "fee waivers, complaints and more.": "根据你的记录填写的、给银行或监管机构的信：分期申请、减免申请、投诉等。",
    "The letters debtcli writes, and what each needs.": "debtcli 能写的信，以及每种信需要什么。",
    "Write a letter from your records: amounts, dates, your proposal, the legal basis with "
    "article numbers.": "根据你的记录写一封信：金额、日期、你的方案，以及附条文编号的法律依据。",
    "Which letter: installment, complaint, fee-waiver … (debtcli letter list shows them all).": "哪种信：分期、投诉、减免……（debtcli letter list 列出全部）。",
    "md (default), html or docx.": "md（默认）、html 或 docx。",
    "Write to this file.": "写入这个文件。",
    "Your name (remembered).": "你的姓名（会记住）。",
    "The last 4 of your ID number (remembered).": "你的身份证号后四位（会记住）。",
    "Your phone (remembered).": "你的电话（会记住）。",
    "Your address (remembered).": "你的地址（会记住）。",
    "job-loss, illness, business-failure, income-cut, family or other.": "失业、生病、生意失败、收入减少、家庭变故或其他。",
    "In your own words: what happened, or (credit-dispute) what is wrong.": "用你自己的话说明发生了什么，或（征信异议）哪里有错。",
    "Installments (at most 60), or (deferral) months to defer.": "分期期数（最多 60 期），或（延期）延期几个月。",
    "The monthly amount you propose.": "你提出的每月还款额。",
    "First payment date (default: in a month).": "第一次还款日期（默认：一个月后）。",
    "Monthly income, to compute the proposal.": "月收入，用于计算方案。",
    "Essential monthly expenses.": "每月必要支出。",
    "complaint: bank or regulator.": "投诉信寄给谁：银行或监管机构。",
    "Log the letter as sent, with the file attached, so what you sent is provable.": "把这封信记为已寄出并附上文件，以便证明你寄出了什么。",
    "Write it even so: above your budget, on a time-barred debt, or over an existing -o file.": "仍然生成：即使超出你的预算、债务已过诉讼时效，或会覆盖已有的 -o 文件。",
    "Copy a letter's templates (Chinese and English) into your config folder to edit them; "
    "your copy is then used instead.": "把一种信的模板（中文和英文）复制到你的配置文件夹以便修改；之后会使用你的副本。",
    "The kind of letter to copy out.": "要复制的信件类型。",
    "Replace a copy you already have.": "替换你已有的副本。",
    # visit
    "Someone at the door claiming to collect? A checklist to verify them, printable or walked "
    "through step by step.": "有人上门自称催收？一份核验清单，可以打印，也可以逐步核对。",
    "A one-page checklist for the door: what to ask, what to check, your rights, the red flags "
    "of a scam, and the bank's official number. Print it and keep it by the door.": "放在门边的一页核验清单：问什么、查什么、你的权利、诈骗的危险信号，以及银行的官方电话。"
    "打印出来放在门边。",
    "The card, so the checklist shows its bank's official hotline.": "卡，清单上会显示这家银行的官方客服电话。",
    "md (default), html (print it: A4, big type) or docx.": "md（默认）、html（打印用：A4、大字）或 docx。",
    "Write to this file (the format follows its ending).": "写入这个文件（格式由扩展名决定）。",
    "Walk through the checklist at the door, one question at a time; get a verdict (verified "
    "/ not verified: do not pay or open / scam red flags) and what to do, and save the visit "
    "in the evidence log. Ctrl-C at any point saves nothing.": "在门口逐项回答问题、核对清单；得出结论（已核实 / 未核实：不要付款或开门 / "
    "有诈骗迹象）和该怎么做，并把这次上门存入证据记录。随时按 Ctrl-C 都不会保存任何内容。",
    "The card they say they are collecting.": "对方说要催收的那张卡。",
    "A JSON file of answers, to run without prompts (scripts, tests).": "答案的 JSON 文件，用于不提问直接运行（脚本、测试）。",
    "When the visit is (default now).": "上门的时间（默认现在）。",
    "Print the verdict as JSON.": "以 JSON 输出结论。",
}
