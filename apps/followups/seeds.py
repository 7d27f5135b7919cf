"""The follow-up rules of the source documents (售后服务工作规划 / 售后服务工作规定), as data.

`rules_seed(organisation)` creates them once (keyed on their code) and never overwrites an
administrator's later edits.
"""

from __future__ import annotations

from apps.org.models import Organisation, StoreKind

from .models import AssigneePolicy, Channel, FollowUpRule, Priority, Trigger

STATION = [StoreKind.SERVICE_STATION]
HALL = [StoreKind.BUSINESS_HALL]
BANK = [StoreKind.BANK_BRANCH]
CALL_SCRIPT = "询问用车情况\n征求服务意见\n告知使用知识与注意事项\n介绍近期服务与活动"
ON_TIME_QUESTION = "是否准时交车"
SURVEY = ["产品运行情况", "产品质量", "服务态度", "服务及时性", ON_TIME_QUESTION]

# The business hall's and the bank branch's own calls, from their duties: 营业厅经理 "随时收集、
# 征求客户意见，做好客户回访工作" and 台席 "协助上级主管部门了解客户对服务的满意程度"; the bank's
# complaints answered and followed up (投诉处理率). Their questions are theirs, never 是否准时交车.
HALL_SURVEY = [
    {"text": "业务是否一次办理成功", "kind": "yes_no"},
    {"text": "营业员服务态度", "kind": "score"},
    {"text": "等候时间是否可以接受", "kind": "yes_no"},
    {"text": "对营业厅环境的满意度", "kind": "score"},
]
HALL_COMPLAINT_SURVEY = [
    {"text": "投诉是否在两日内得到答复", "kind": "yes_no"},
    {"text": "对处理结果的满意度", "kind": "score"},
]
BANK_SURVEY = [
    {"text": "问题是否已经解决", "kind": "yes_no"},
    {"text": "对处理结果的满意度", "kind": "score"},
    {"text": "网点服务态度", "kind": "score"},
]
KIND_RULES: list[dict] = [
    {
        "code": "hall-service-call",
        "name": "营业厅业务办理回访",
        "store_kinds": HALL,
        "trigger": Trigger.TICKET_CLOSED,
        "ticket_kinds": ["inquiry", "follow_on"],
        "window_start_days": 1,
        "window_end_days": 3,
        "talking_points": "征求客户对本次业务办理的意见\n了解客户对服务的满意程度\n介绍适合客户的新业务",
        "survey_name": "营业厅客户满意度回访",
        "survey_items": HALL_SURVEY,
    },
    {
        "code": "hall-complaint-call",
        "name": "营业厅投诉处理回访",
        "store_kinds": HALL,
        "trigger": Trigger.TICKET_CLOSED,
        "ticket_kinds": ["complaint"],
        "window_start_days": 0,
        "window_end_days": 2,
        "priority": Priority.HIGH,
        "talking_points": "确认投诉已答复、问题已解决\n记录客户仍未解决的要求，两日内报告营业厅经理",
        "survey_name": "投诉处理回访",
        "survey_items": HALL_COMPLAINT_SURVEY,
    },
    {
        "code": "bank-complaint-call",
        "name": "网点投诉处理回访",
        "store_kinds": BANK,
        "trigger": Trigger.TICKET_CLOSED,
        "ticket_kinds": ["complaint", "follow_on"],
        "window_start_days": 0,
        "window_end_days": 2,
        "priority": Priority.HIGH,
        "talking_points": "确认问题已处理完毕\n征求客户对网点服务的意见\n未解决的事项及时报告营业主管",
        "survey_name": "网点客户回访",
        "survey_items": BANK_SURVEY,
    },
]

RULES: list[dict] = [
    {
        "code": "second-call",
        "name": "第二次跟踪服务",
        "trigger": Trigger.CHAIN,
        "window_start_days": 7,
        "window_end_days": 14,
        "talking_points": "以客户感兴趣的话题为准，内容避免与第一次重复\n询问近期有无新的服务需求\n介绍本公司近期优惠联谊活动（内容、日期、地址讲清楚）",
    },
    {
        "code": "first-call-pickup",
        "store_kinds": STATION,
        "name": "接车出厂后首次跟踪服务",
        "trigger": Trigger.TICKET_CLOSED,
        "ticket_kinds": ["repair_order", "inquiry"],
        "window_start_days": 3,
        "window_end_days": 7,
        "talking_points": CALL_SCRIPT + "\n客户的要求、希望或投诉一定记录清楚，能当时答复的当时答复",
        # 准时交车率目标管理 4: every call asks 是否准时交车; a "no" puts the order before the manager.
        "survey_items": [ON_TIME_QUESTION],
        "next": "second-call",
    },
    {
        "code": "first-call-vehicle",
        "store_kinds": STATION,
        "name": "新车交付首次回访",
        "trigger": Trigger.DELIVERED,
        "asset_kind": "vehicle",
        "window_start_days": 3,
        "window_end_days": 7,
        "talking_points": CALL_SCRIPT,
        "next": "second-call",
    },
    {
        "code": "new-product",
        "store_kinds": STATION,
        "name": "新出厂产品回访",
        "trigger": Trigger.DELIVERED,
        "asset_kind": "product",
        "window_start_days": 0,
        "window_end_days": 10,
        "talking_points": "按客户档案回访，填写《产品使用情况征询意见表》\n询问产品运行、质量和服务状况\n提示保养手册中的技术要求",
        "survey_name": "产品使用情况征询意见表",
        "survey_items": SURVEY,
    },
    {
        "code": "major-repair",
        "store_kinds": STATION,
        "name": "保修期内较大维修后回访",
        "trigger": Trigger.MAJOR_REPAIR_CLOSED,
        "window_start_days": 0,
        "window_end_days": 7,
        "priority": Priority.HIGH,
        "talking_points": "确认维修后产品运行正常\n征求对维修质量与及时性的意见",
        "survey_name": "产品使用情况征询意见表",
        "survey_items": SURVEY,
    },
    {
        "code": "vip-periodic",
        "name": "大客户 / VIP 定期回访（每年不少于 2 次）",
        "trigger": Trigger.TIER_PERIODIC,
        "tiers": ["vip", "key"],
        "period_months": 6,
        "window_start_days": 0,
        "window_end_days": 150,
        "channel": Channel.VISIT,
        "priority": Priority.HIGH,
        "talking_points": "走访或电话回访\n了解持续采购需求与服务意见\n介绍新的服务内容",
    },
    {
        "code": "maintenance",
        "store_kinds": STATION,
        "name": "按期保养提醒",
        "trigger": Trigger.MAINTENANCE_DUE,
        "window_start_days": -14,
        "window_end_days": 0,
        "grace_days": 7,
        "skip_if_open_order": True,
        "talking_points": "通知客户按期保养（按时间或里程，先到为准）\n结合季节与气候提示换油、检修\n预约进厂时间",
    },
    {
        "code": "campaign-letter",
        "name": "活动通知信函",
        "trigger": Trigger.CHAIN,
        "channel": Channel.LETTER,
        "window_start_days": 0,
        "window_end_days": 2,
        "grace_days": 5,
        "talking_points": "电话通知后两日内视情况寄出通知信函",
    },
    {
        "code": "campaign-call",
        "name": "活动电话邀请（提前两周）",
        "trigger": Trigger.CAMPAIGN,
        "window_start_days": -14,
        "window_end_days": -12,
        "grace_days": 2,
        "talking_points": "介绍活动内容、日期、地址（免费检测周 / 优惠服务月 / 联谊活动）\n确认是否参加\n告知将寄出通知信函",
        "next": "campaign-letter",
    },
]


def rules_seed(organisation: Organisation) -> dict[str, FollowUpRule]:
    rules: dict[str, FollowUpRule] = {}
    for spec in [*RULES, *KIND_RULES]:
        spec = dict(spec)
        nxt = spec.pop("next", None)
        code = spec.pop("code")
        defaults = {
            "channel": Channel.PHONE,
            "assignee_policy": AssigneePolicy.OWNER,
            "retry_hours": [2, 24, 48],
            **spec,
        }
        rule, created = FollowUpRule.objects.get_or_create(
            organisation=organisation, code=code, defaults=defaults
        )
        if created and nxt:
            rule.next_rule = rules[nxt]
            rule.save(update_fields=["next_rule"])
        rules[code] = rule
    return rules
