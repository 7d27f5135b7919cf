"""Demo positions built from the facts of the source documents (岗位职责, 台席岗作业指导, 4S 店方案).

Keyed on the document number (Position.code): a second run creates and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from apps.org.models import StoreKind

from .models import Position, PositionHolder
from .services import position_create, position_revise

S, D, W, M, N = "per_shift", "daily", "weekly", "monthly", "as_needed"
ISSUED = dt.date(2025, 1, 1)

# code, title, department, store kind, superiors (codes), content
POSITIONS = [
    (
        "GW-ADMIN-001",
        "分管副总经理",
        "admin",
        StoreKind.BACK_OFFICE,
        [],
        {
            "summary": "受总经理委托分管售后服务、营业厅和网点营运，对分管部门的经营目标和服务质量负责。",
            "education": "本科及以上",
            "experience": "八年以上服务行业管理经验",
            "authority": "分管部门的人员调配、费用审批（限额内）和考核建议权。",
            "areas": [
                (
                    "经营管理",
                    [
                        ("审定分管部门年度目标计划书并监督执行", M),
                        ("每月主持质量目标沟通会，检查目标完成情况", M),
                    ],
                ),
                (
                    "组织协调",
                    [("协调售后服务部、营业部与行政部之间的工作", N), ("处理重大客户投诉和突发事件", N)],
                ),
            ],
            "kpis": [("产值", "售后服务部维修总产值（第一目标 / 第二目标）", "220万 / 240万", "元")],
        },
    ),
    (
        "GW-HALL-OPS-001",
        "营业厅经理",
        "hall-ops",
        StoreKind.BUSINESS_HALL,
        ["GW-ADMIN-001"],
        {
            "summary": "全面负责营业厅日常运营，贯彻执行公司各项规章制度、工作流程和上级的工作指令。",
            "education": "大专及以上",
            "experience": "三年以上营业厅工作经验",
            "areas": [
                (
                    "运营管理",
                    [
                        ("全面负责营业厅日常运营工作", D),
                        ("负责营业厅及后台受理的帐目管理，配合结算中心对账、查账", D),
                        ("合理组织和调配人员，定期安排员工培训", M),
                    ],
                ),
                (
                    "客户与投诉",
                    [
                        ("接听热线电话，解决客户业务咨询及投诉，解决不了的及时上报", N),
                        ("收集客户意见，做好客户回访工作", W),
                        ("每周六做好投诉报告与工作总结上传直管领导", W),
                    ],
                ),
                ("团队考核", [("做好工作考核，适时指导工作，调动营业员的积极性", M)]),
            ],
            "kpis": [
                ("满意率", "满意客户数 / 调查客户数", "≥98%", "%"),
                ("投诉处理及时率", "当日答复的投诉 / 投诉总数", "≥98%", "%"),
            ],
        },
    ),
    (
        "GW-HALL-OPS-002",
        "营业员",
        "hall-ops",
        StoreKind.BUSINESS_HALL,
        ["GW-HALL-OPS-001"],
        None,  # two revisions below
    ),
    (
        "GW-HALL-OPS-003",
        "台席岗",
        "hall-ops",
        StoreKind.BUSINESS_HALL,
        ["GW-HALL-OPS-001"],
        {
            "summary": "营业厅最基本、最核心的岗位，一站式为客户办理业务，方便、高效、快捷。",
            "education": "中专",
            "experience": "不限",
            "knowledge": "熟悉营业厅的各项业务办理流程和业务知识",
            "skills": "具备较强的学习新事物的能力和一定的应变能力，较强的口头表达能力和理解能力",
            "personality": "外向，具备较强的应变能力和与人沟通的能力",
            "areas": [
                (
                    "主动服务营销体系",
                    [
                        ("业务推广：主动宣传各项新业务，推荐和引导客户选择合适的服务项目", N),
                        ("客户挽留：对有离网倾向的客户进行挽留，并记录客户资料及离网原因", N),
                        ("客户投诉：及时答复客户投诉，解决不了的马上报告值班经理并做好记录", N),
                    ],
                ),
                (
                    "业务办理体系",
                    [
                        ("为客户办理缴费、停/开机、开户、过户、业务变更等业务", N),
                        ("营业款额进帐入库，并做好各种营业日报表", D),
                        ("做好交接班（下一班工作交接、档案、现金的交接）", S),
                        ("按规范进行台席物品管理，维护区域卫生环境", S),
                    ],
                ),
                ("协作体系", [("记录现场挽留不成功的离网客户，将资料交由客户经理跟进", N)]),
            ],
        },
    ),
    (
        "GW-HALL-OPS-004",
        "营业厅保安",
        "hall-ops",
        StoreKind.BUSINESS_HALL,
        ["GW-HALL-OPS-001"],
        {
            "summary": "维护营业厅正常运营秩序，落实防火、防盗、防破坏等治安防范措施，做好安全保卫工作。",
            "areas": [
                (
                    "现场管理",
                    [
                        ("在岗期间主动维持营业厅秩序，关注营业厅动态，处理突发情况", S),
                        ("检查厅内物品，做好防盗、防抢工作", S),
                        ("管理厅外责任区车辆停放，提醒用户做好车辆防盗", S),
                    ],
                ),
                (
                    "预防管理",
                    [
                        ("消防设施检查：检查消防器材完好并协助营业厅做好消防器械检查", D),
                        ("熟练掌握火警报警流程，熟悉并善于操作厅内各种消防器材", N),
                    ],
                ),
                ("辅助管理", [("协助做好自助设备引导使用、证件复印等业务辅助和分流工作", N)]),
            ],
        },
    ),
    (
        "GW-HALL-OPS-005",
        "客户回访员",
        "hall-ops",
        StoreKind.BUSINESS_HALL,
        ["GW-HALL-OPS-001"],
        {
            "summary": "对办理业务和提车的客户按时回访，统计回访结果和满意度，反馈客户意见。",
            "areas": [
                (
                    "回访",
                    [
                        ("客户接车出厂三天至一周内进行第一次电话回访", D),
                        ("第一次回访一周后的 7 天内进行第二次回访", D),
                        ("客户的要求、希望或投诉记录清楚，不能当时答复的两日内报告主管", N),
                    ],
                ),
                (
                    "统计",
                    [
                        ("每日统计准时交车等考核指标并在局域网共享", D),
                        ("每月计算各岗位准时交车率上报服务经理和站长", M),
                    ],
                ),
            ],
            "kpis": [("回访率", "已回访客户 / 应回访客户", "100%", "%"), ("满意率", "", "≥98%", "%")],
        },
    ),
    (
        "GW-AFTERSALES-001",
        "服务站长",
        "aftersales",
        StoreKind.SERVICE_STATION,
        ["GW-ADMIN-001"],
        {
            "summary": "负责售后服务全面工作，统筹服务经营目标和管理目标的达成。",
            "areas": [
                (
                    "经营",
                    [
                        ("制定和督促实施服务营销计划", M),
                        ("负责统筹服务经营目标、管理目标的达成", M),
                        ("负责服务站发展规划制定及所需资源配置", N),
                    ],
                ),
                (
                    "管理",
                    [
                        ("管理售后服务热线，处理重大客户抱怨", N),
                        ("创建 6S 管理制度及实施", W),
                        ("协调评价售后部门及员工的表现", M),
                    ],
                ),
            ],
            "kpis": [
                (
                    "产值",
                    "维修总产值（日常维修含保修 + 事故车）",
                    "220万（第一目标）/ 240万（第二目标）",
                    "元",
                ),
                ("CSI", "客户满意度得分", "≥900", "分"),
            ],
        },
    ),
    (
        "GW-AFTERSALES-002",
        "服务经理",
        "aftersales",
        StoreKind.SERVICE_STATION,
        ["GW-ADMIN-001", "GW-AFTERSALES-001"],
        {
            "summary": "负责前台开展服务营销和实现经营目标，领导服务顾问做好日常维修接待。",
            "areas": [
                (
                    "工作职责",
                    [
                        ("领导和参与服务顾问进行日常的维修接待工作", D),
                        ("执行和督促标准化服务流程的实施及培训", N),
                        ("协调前台与维修车间、备件部门的沟通和联系", N),
                        ("处理服务过程中的用户抱怨", N),
                    ],
                ),
                (
                    "日常工作",
                    [
                        ("每月初制定前台服务流程培训计划并负责实施", M),
                        ("每月进行一次服务顾问考评（理论测试和日常工作评估）", M),
                        ("编制次月经营计划", M),
                        ("接待区域日常 6S 管理", D),
                    ],
                ),
            ],
            "kpis": [
                ("准时交车率", "统计期间准时交车台数 / 结算总台数", "≥96%", "%"),
                ("CSI", "", "≥900", "分"),
            ],
        },
    ),
    (
        "GW-AFTERSALES-003",
        "服务顾问",
        "aftersales",
        StoreKind.SERVICE_STATION,
        ["GW-AFTERSALES-002"],
        {
            "summary": "接待送修客户，确认委托书、增项和约定交车时间，按时交车。",
            "areas": [
                (
                    "接待",
                    [
                        ("营业前准备：整理接待台、委托书和预约单", D),
                        ("与客户确认维修项目和约定交车时间，写入委托书", N),
                        ("有增项时重新与客户确认交车时间", N),
                        ("客户原因未准时交车的，在委托书上注明并请客户签字确认", N),
                    ],
                ),
            ],
            "kpis": [("准时交车率", "统计期间准时交车台数 / 结算总台数", "≥96%", "%")],
        },
    ),
    (
        "GW-AFTERSALES-004",
        "跟踪业务员",
        "aftersales",
        StoreKind.SERVICE_STATION,
        ["GW-AFTERSALES-002"],
        {
            "summary": "建立客户档案，按规定时间对客户进行跟踪服务和回访。",
            "areas": [
                (
                    "客户档案",
                    [("客户送修或来访后两日内建立客户档案", D), ("研究客户潜在需求，拟定下一次服务内容", W)],
                ),
                (
                    "跟踪服务",
                    [
                        ("接车出厂三天至一周内第一次电话跟踪", D),
                        ("第一次跟踪一周后的 7 天内第二次跟踪", D),
                        ("联谊、优惠、免费服务活动提前两周电话通知，两日内寄出通知信函", N),
                    ],
                ),
            ],
            "kpis": [
                ("回访率", "", "100%", "%"),
                ("满意率", "", "≥98%", "%"),
                ("保修内服务及时率", "保修期内客户服务请求按时答复或按约定交车的比例", "≥98%", "%"),
            ],
        },
    ),
    (
        "GW-AFTERSALES-005",
        "售后服务部经理",
        "aftersales",
        StoreKind.SERVICE_STATION,
        ["GW-ADMIN-001"],
        {
            "summary": "在分管副总经理指导下，总体负责公司售后服务工作以及售后服务部门的运作及管理。",
            "appointment": "由总经理任命",
            "areas": [
                ("部门管理", [("管理、培养所属员工，部门内员工的考核和激励", M), ("主持本部门例会", W)]),
                (
                    "具体工作",
                    [
                        ("负责销售后客户跟踪及客户反馈信息收集、汇总", W),
                        ("建立服务热线电话和客户车辆维修档案", N),
                        ("制定售后服务工作流程和索赔与正常维修的规定", N),
                    ],
                ),
            ],
        },
    ),
    (
        "GW-BRANCH-OPS-001",
        "银行网点营业主管",
        "branch-ops",
        StoreKind.BANK_BRANCH,
        ["GW-ADMIN-001"],
        {
            "summary": "组织、调配柜员正常营业，监督柜员工作程序，负责网点的安全和风险防范。",
            "areas": [
                (
                    "柜面日常营运",
                    [
                        ("协助支行长安排网点日常排班，根据业务需要增减弹性窗口", D),
                        ("负责网点重要单证、印章、账簿等重要物品的管理", D),
                        ("负责与金库调拨现金，确保现金、重要单证控制在限额内", D),
                    ],
                ),
                (
                    "风险防范",
                    [
                        ("日终监控各岗位尾箱现金、重要单证是否合规，确保帐实相符", D),
                        ("履行柜员交接监交工作", S),
                        ("分析大额交易，及时报告大额可疑交易", N),
                    ],
                ),
                ("服务指导", [("受理并跟进柜员移交的当场不能完成的客户后续服务和投诉", N)]),
            ],
        },
    ),
    (
        "GW-BRANCH-OPS-002",
        "柜员",
        "branch-ops",
        StoreKind.BANK_BRANCH,
        ["GW-BRANCH-OPS-001"],
        {
            "summary": "按照操作规程办理柜面业务，保证资金和重要单证安全。",
            "areas": [
                ("班前", [("营业前准备：领取尾箱，核对现金和重要单证", S)]),
                (
                    "营业中",
                    [
                        ("按操作流程办理业务，大额交易按规定授权", N),
                        ("当场不能完成的后续服务移交营业主管", N),
                    ],
                ),
                (
                    "班后",
                    [
                        ("核对卡品库存及营收款项，做到日清日结", S),
                        ("交接班：双人封箱，营业主管监交", S),
                    ],
                ),
            ],
        },
    ),
    (
        "GW-ADMIN-002",
        "行政主管",
        "admin",
        StoreKind.BACK_OFFICE,
        ["GW-ADMIN-001"],
        {
            "summary": "安排行政部各岗位工作，组织管理制度的制定和实施监督。",
            "areas": [
                (
                    "部门管理",
                    [
                        ("安排行政部各岗位的工作内容，督促、考察部门人员的工作进度", W),
                        ("本部门的绩效考核工作", M),
                        ("办公及采购费用的使用及控制", M),
                    ],
                ),
                (
                    "制度与人事",
                    [
                        ("组织公司各项管理制度的制定、规范、调整和实施监督", N),
                        ("公司人员的招聘、录用、解聘、离职等职位管理工作", N),
                        ("规划组织公司培训工作", M),
                    ],
                ),
            ],
        },
    ),
    (
        "GW-ADMIN-003",
        "行政前台",
        "admin",
        StoreKind.BACK_OFFICE,
        ["GW-ADMIN-002"],
        {
            "areas": [
                (
                    "前台事务",
                    [
                        ("接听、接转电话，做好电话记录并及时传达", D),
                        ("来访客人的接待工作，记录谈话内容并反馈有关部门", N),
                        ("办公用品的申请、保管、发放，做好记录", W),
                        ("绿植监督及饮用水维护", W),
                    ],
                ),
            ],
        },
    ),
    (
        "GW-ADMIN-004",
        "厨师",
        "admin",
        StoreKind.BACK_OFFICE,
        ["GW-ADMIN-002"],
        {
            "areas": [
                (
                    "食堂",
                    [
                        ("按午餐标准及职工人数准备工作餐，保证营养均衡和卫生", D),
                        ("负责食品采买，做到钱物、帐目清楚", D),
                        ("食堂及厨房用具和环境保持清洁卫生，定期消毒", W),
                        ("提前定出下周菜谱", W),
                    ],
                ),
            ],
        },
    ),
]

CLERK_V1 = {
    "summary": "在营业厅前台为客户办理业务和咨询，按时完成本职工作。",
    "education": "中专及以上",
    "areas": [
        ("营业准备", [("营业前准备：提前 15 分钟到岗，整理发票、宣传单，兑换找零备用金", S)]),
        (
            "业务受理",
            [
                ("准确、迅速受理前台各项业务和咨询", N),
                ("积极主动地向客户推荐新业务、配件和终端", N),
            ],
        ),
        ("班后收尾", [("核对卡品库存及营收款项，做好相关记录", S), ("交接班：严格执行交接班制度", S)]),
    ],
}
CLERK_V2 = {
    **CLERK_V1,
    "areas": [
        (
            "营业准备",
            [
                ("营业前准备：提前 15 分钟到岗，整理发票、宣传单，兑换找零备用金", S),
                ("设备及环境检查：营业前检查影像设备、自助查询设备等营业硬件", D),
            ],
        ),
        (
            "业务受理",
            [
                ("准确、迅速受理前台各项业务和咨询，对大客户体现优先、优质的原则", N),
                ("积极主动地向客户推荐新业务、配件和终端", N),
                ("唱收唱付，保证资金的安全和完整", N),
            ],
        ),
        (
            "班后收尾",
            [
                ("核对卡品库存及营收款项，做好相关记录", S),
                ("完成每班报表统计和资料核查，做到日清日结", D),
                ("交接班：严格执行交接班制度，将当班营业款项上交", S),
            ],
        ),
    ],
    "kpis": [("业务差错", "受理差错笔数", "0", "笔"), ("满意率", "", "≥98%", "%")],
}

HOLDERS = [
    ("manager", "GW-HALL-OPS-001", "hall-central"),
    ("clerk", "GW-HALL-OPS-002", "hall-central"),
    ("clerk2", "GW-HALL-OPS-002", "hall-central"),
    ("aftersales", "GW-HALL-OPS-005", "hall-central"),
    ("manager2", "GW-AFTERSALES-001", "station-east"),
    ("advisor", "GW-AFTERSALES-003", "station-east"),
    ("tracker", "GW-AFTERSALES-004", "station-east"),
    ("teller", "GW-BRANCH-OPS-002", "branch-riverside"),
    ("supervisor", "GW-BRANCH-OPS-001", "branch-riverside"),
    ("admin", "GW-ADMIN-002", "hq"),
]


def _content(title: str, data: dict) -> dict:
    return {
        "title": title,
        **{k: v for k, v in data.items() if k not in ("areas", "kpis")},
        "areas": [
            {"name": a, "tasks": [{"text": t, "frequency": f} for t, f in tasks]}
            for a, tasks in data["areas"]
        ],
        "kpis": [{"name": n, "definition": d, "target": t, "unit": u} for n, d, t, u in data.get("kpis", [])],
    }


def seed(ctx) -> None:
    existing = {p.code: p for p in Position.objects.filter(organisation=ctx.organisation)}
    admin = ctx.users["admin"]
    for code, title, dept, kind, _sups, data in POSITIONS:
        if code in existing:
            continue
        first = CLERK_V1 if data is None else data
        existing[code] = position_create(
            organisation=ctx.organisation,
            code=code,
            content=_content(title, first),
            department=ctx.departments[dept],
            store_kind=kind,
            effective_date=dt.date(2024, 1, 1) if data is None else ISSUED,
            approver="李行政",
            change_summary="首次发布",
            author=admin,
        )
        ctx.count(True)
    # Reporting lines once every position exists; revisions carry the lines in force.
    for code, _title, _dept, _kind, sups, _data in POSITIONS:
        position = existing[code]
        wanted = {existing[c].pk for c in sups}
        if set(position.superiors.values_list("pk", flat=True)) != wanted:
            position.superiors.set([existing[c] for c in sups])
            revision = position.current_revision
            from .services import _relations_snapshot

            revision.relations = _relations_snapshot(position)
            revision.save(update_fields=["relations"])
    for position in existing.values():  # subordinates changed on the way: refresh the snapshots once
        revision = position.current_revision
        if revision and revision.number == 1:
            from .services import _relations_snapshot

            snapshot = _relations_snapshot(position)
            if revision.relations != snapshot:
                revision.relations = snapshot
                revision.save(update_fields=["relations"])
    clerk_position = existing["GW-HALL-OPS-002"]
    if clerk_position.current_revision.number == 1:
        position_revise(
            position=clerk_position,
            content=_content("营业员", CLERK_V2),
            department=ctx.departments["hall-ops"],
            store_kind=StoreKind.BUSINESS_HALL,
            superiors=[existing["GW-HALL-OPS-001"]],
            effective_date=dt.date(2025, 3, 1),
            approver="李行政",
            change_summary="增加设备检查、唱收唱付和日清日结；增加考核指标",
            author=admin,
        )
        ctx.count(True)
    for username, code, store in HOLDERS:
        _h, created = PositionHolder.objects.get_or_create(
            position=existing[code],
            user=ctx.users[username],
            store=ctx.stores[store],
            defaults={"since": dt.date(2025, 1, 1)},
        )
        ctx.count(created)
