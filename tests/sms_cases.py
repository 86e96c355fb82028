"""A labelled inbox of our own making for the SMS judge (issue 36): kinds of message the shared
development set lacks, each written as a template and filled with several banks, names, amounts
and days, so that a test measures the kinds, not a few texts. Nothing here is copied from the
shared corpus.

COLLECTION: what a cardholder in collection receives and must be able to keep as evidence,
including threats that use no collection word at all. OTHER: what the same phone receives
besides, including the near misses: 上门 for a cleaner, 平安 in a greeting, 分期 on offer, a
carrier's 欠费, a scam that sounds like the police.
"""

import itertools

FILL = [
    {"bank": "中信银行", "short": "中信", "last4": "4821", "amount": "62,400.00", "name": "李伟",
     "days": "35", "agency": "某某资产管理有限公司", "hotline": "95558"},
    {"bank": "招商银行", "short": "招行", "last4": "7730", "amount": "18300", "name": "王芳",
     "days": "92", "agency": "华信催收服务中心", "hotline": "95555"},
    {"bank": "工商银行", "short": "工行", "last4": "5511", "amount": "9,050", "name": "陈静",
     "days": "61", "agency": "鼎盛商务咨询有限公司", "hotline": "95588"},
    {"bank": "浦发银行", "short": "浦发", "last4": "1024", "amount": "31,200.55", "name": "张强",
     "days": "120", "agency": "远航信息咨询有限公司", "hotline": "95528"},
    {"bank": "广发银行", "short": "广发", "last4": "6606", "amount": "4,800", "name": "刘洋",
     "days": "15", "agency": "诚达法务外包服务有限公司", "hotline": "95508"},
]  # fmt: skip

COLLECTION = [
    # the bank's own reminders once the card is overdue
    "【{bank}】尊敬的{name}，您尾号{last4}的信用卡已逾期{days}天，应还金额{amount}元，请尽快还款。",
    "{bank}温馨提示：您的信用卡账户（尾号{last4}）欠款{amount}元已逾期，为免影响您的信用记录请及时处理。",
    "【{bank}】您尾号{last4}信用卡截至今日仍未还清欠款，账户已停止使用，如已还款请忽略。",
    "【{bank}】{name}先生/女士，您的信用卡逾期欠款已转入我行特殊资产部门管理，请于5日内联系。",
    # the agency's: call-backs, visits, transfers
    "{name}您好，受{bank}委托，我司就您名下信用卡欠款{amount}元与您联系，请速回电400-800-1234。",
    "【{agency}】{name}，您的{short}信用卡欠款我司已接手处理，今日内未回电将安排外访人员核实情况。",
    "{name}，我们是{bank}委托的外访组，明天将到您户籍地走访，请提前准备还款。",
    "您好，{bank}已将您的欠款案件委外，经办人王主管，工号A1023，请回电协商还款方案。",
    "【{agency}】尊敬的{name}：您拖欠{bank}的信用卡款项至今未处理，请于48小时内回电。",
    # threats and claims with no collection word
    "{name}，再不处理就直接抓人，别怪我们没提醒你。",
    "{name}你等着坐牢吧，经侦已经在查了。",
    "你的{short}信用卡案件已在公安备案，三天后移交经侦大队。",
    "法院传票已经寄出，你的信用卡欠款下周开庭，准备好吧。",
    "{name}，你已被列入失信人员名单，坐飞机高铁都不行了。",
    "老赖{name}，你的个人信息明天公布到你们小区群里。",
    "我们会把你的情况告知亲属和你们单位领导，后果自负。",
    "已经联系了你们村委会，让全村都知道你欠{short}的钱不还。",
    "{name}，你的恶意透支已经构成犯罪，要追究刑事责任。",
    "你名下的银行卡和微信支付宝因信用卡欠款马上会被冻结。",
    "通知单位的函件已经准备好了，你自己看着办。",
    "你父母还是你自己还？信用卡的钱总得有人还。",
    # to a relative or a colleague
    "您好，您的亲属{name}在{bank}的信用卡欠款长期未还，请转告其尽快联系我们。",
    "请转告贵单位员工{name}，其信用卡欠款已严重违约，请其尽快处理。",
    # law firms, mediation, courts
    "【{agency}】律师函：受{bank}委托，就{name}信用卡透支纠纷，请于七日内履行还款义务。",
    "{name}您好，您与{bank}的信用卡纠纷已进入诉前调解，调解员：赵女士，请及时联系。",
    "【某某市人民法院】{name}，{bank}诉你信用卡纠纷一案已立案，请登录诉讼服务网查看。",
    "您的{short}信用卡欠款已达起诉标准，法务部将于本周提交材料起诉。",
    # online lenders' collectors
    "【速借宝】{name}，您的借款已逾期{days}天，逾期费用每日递增，请立即还款。",
    "{name}，你在我平台的借款拖了{days}天了，今天不还明天就上门。",
]

OTHER = [
    # the bank's ordinary messages: alerts, statements before the due date, confirmations
    "【{bank}】您尾号{last4}的信用卡于12月03日14:22消费人民币{amount}元，可用额度56,000元。",
    "【{bank}】您尾号{last4}的信用卡本期账单金额{amount}元，最低还款额480元，到期还款日12月25日。",
    "【{bank}】您尾号{last4}信用卡还款{amount}元已入账，感谢您的支持。",
    "{bank}：您的信用卡账单还有3天到期，请按时还款，以免产生逾期影响征信。",
    "【{bank}】您尾号{last4}的账户转入人民币{amount}元，交易后余额为12,000.00元。",
    "【{bank}】验证码382910，您正在办理信用卡分期业务，请勿泄露。",
    "【{bank}】尊敬的客户，您的信用卡可申请账单分期，最低0.5折优惠，回T退订。",
    "【{bank}】您的信用卡额度已提升至80,000元，立即使用享好礼，退订回T。",
    "【{bank}】{name}，您的信用卡已成功激活，感谢您选择{short}信用卡。",
    # loans and insurance offered
    "【平安普惠】{name}您好，您有一笔最高20万的借款额度待领取，秒批放款，退订回T。",
    "平安保险提醒您：您的车险将于下月到期，续保享九折，详询400-800-0000。",
    "【某某小贷】无抵押信用贷款，最快当天放款，欢迎来电咨询。",
    # 上门 and 平安 meaning what they usually mean
    "【58到家】您预约的上门保洁服务将于明天上午9点开始，保洁师傅：刘阿姨。",
    "您好，我是链家的小王，周六上门看房可以吗？",
    "【顺丰速运】快递员将于今天下午上门取件，请保持电话畅通。",
    "{name}，新年快乐，祝你和家人平安喜乐，万事如意！",
    "妈，我到了，一路平安，放心吧。",
    # carriers and utilities, where 欠费 is a phone bill
    "【中国移动】尊敬的客户，您的话费余额不足，已欠费12.50元，为避免停机请及时充值。",
    "【国网电力】您户号1234567的电费已欠费86.2元，请尽快缴费以免停电。",
    # everyday life
    "明天下午三点的会议改到402会议室，请相互转告。",
    "【美团】您的外卖订单已送达，祝您用餐愉快。",
    "{name}，周末一起吃饭吗？老地方见。",
    "【12306】您购买的12月20日G102次列车车票已出票，请按时乘车。",
    # scams that borrow the police's or the bank's voice
    "您好，我是北京市公安局民警，您的身份证涉嫌一起洗钱案件，请添加QQ配合调查。",
    "【{bank}】您的账户存在风险，请将资金转入安全账户，否则将被冻结。",
    "您的征信有逾期记录，我司可帮您消除逾期，修复征信，详询微信。",
    "您好，您在大学期间开通的校园贷账户需要注销，否则影响征信，请下载APP操作。",
]


def messages() -> list[tuple[str, bool]]:
    """(text, is collection) for every template filled with every FILL (280 messages)."""
    return [
        (template.format(**fill), label)
        for templates, label in ((COLLECTION, True), (OTHER, False))
        for template, fill in itertools.product(templates, FILL)
    ]
