"""Demo target paperwork from the source documents: a 2026 plan for each demo store in its own words
(the after-sales department, the business hall, the bank branch, the back office), responsibility
letters with the source KPIs, pay schemes and three months of pay sheets.

Keyed on natural keys (department + year + version, holder + position + period, store + person + month),
so a second run creates and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from . import services
from .models import (
    ActionStep,
    BudgetLine,
    HeadcountLine,
    ManualKpiValue,
    PayScheme,
    PaySheet,
    PlanObjective,
    ResponsibilityLetter,
    TargetPlan,
)

YEAR = 2026

STATION_HEAD_KPIS = [
    # name, catalogue key, unit, base, stretch, weight, higher is better
    ("维修总产值", "tickets.output_value", "万元", "220", "240", "25", True),
    ("CSI 得分", "manual.csi", "分", "900", "920", "15", True),
    ("十项调查得分", "manual.ten_item_survey", "分", "92", "95", "10", True),
    ("回访率", "followups.return_visit_rate", "%", "100", None, "10", True),
    ("客户满意率", "followups.satisfaction_rate", "%", "98", None, "10", True),
    ("回访及时率", "followups.timeliness_rate", "%", "98", None, "10", True),
    ("准时交车率", "tickets.on_time_rate", "%", "96", "98", "20", True),
]

AFTERSALES_PLAN = {
    "opportunities": "城东片区汽车保有量持续增长，厂家推行准时交车率目标管理，客户对透明、准时的服务需求上升。",
    "risks": "周边快修连锁店价格竞争激烈；技术骨干流失风险；配件供应周期不稳定。",
    "team_review": "服务顾问团队稳定，但跟踪回访依赖个人习惯，缺少统一的考核口径。",
    "resources_review": "维修工位基本满足需求，高峰期接待能力不足；部门费用审批权限集中在总经理。",
    "functions_review": "客户档案建立不及时（超过两日）的情况时有发生；投诉处理闭环不完整。",
    "direction": "以准时交车率和客户满意度为主线，建立从接车、维修、交车到回访的闭环管理，全面完成产值目标。",
    "post_proposals": "增设售后客服专员一名，专职负责回访和投诉跟踪。",
    "department_kpis": (
        "- 维修总产值 220 万元（挑战 240 万元）\n- CSI ≥ 900，十项调查 ≥ 92\n- 准时交车率 ≥ 96%"
    ),
    "post_kpis": "服务顾问：准时交车率、客户满意率；跟踪业务员：回访率 100%、回访及时率 ≥ 98%。",
    "training": "1. 每月一次前台服务流程培训\n2. 每季度一次技术培训\n3. 新员工入职培训",
    "policy_proposals": "建议将客户抱怨奖罚纳入市场维护激励制度。",
    "resource_proposals": "高峰期增设一个快速保养工位，由公司统一调配备用车辆。",
    "authority_proposals": "建议配件紧急采购（单笔 5000 元以内）授权给服务站长。",
    "management_mode": "以月度目标计划为导向，每周例会对照准时交车率和回访率检查进度。",
    "process_targets": "- 修订《准时交车管理规定》\n- 建立增项与延误的客户确认登记流程",
    "attrition_core_pct": "5",
    "attrition_general_pct": "15",
    "incentives": "完成基本目标按绩效方案兑现；达成挑战目标的，部门另发年度奖励；未达成的按比例扣减。",
}
AFTERSALES_OBJECTIVES = [
    ("basic", "维修总产值完成 220 万元，挑战 240 万元", "赵强", None),
    ("basic", "准时交车率全年不低于 96%", "孙丽", None),
    ("functional", "客户档案在来访后两日内建立，完成率 100%", "周涛", 1),
    ("support", "配合销售部完成新车交付后的首保邀约", "孙丽", 2),
    ("special", "建立服务热线并开通客户抱怨升级通道", "赵强", 1),
    ("special", "开展免费检测周和优惠服务月活动各一次", "周涛", 3),
    ("team", "核心人员流失率控制在 5% 以内，一般人员 15% 以内", "赵强", None),
    ("management", "每月召开部门例会，目标分解到岗位并按月统计评价", "赵强", None),
]
AFTERSALES_STEPS = [
    (1, "建立服务热线，制定售后服务工作流程", "manager2"),
    (1, "完成客户车辆维修档案的补录", "tracker"),
    (2, "制定索赔与正常维修的规定，培训全体服务顾问", "manager2"),
    (3, "组织免费检测周，电话邀约提前两周完成", "tracker"),
    (4, "年度目标完成情况总结与下一年度计划编制", "manager2"),
]
AFTERSALES_HEADCOUNT = [
    ("服务顾问", 3, 4, "高峰期接待"),
    ("跟踪业务员", 1, 2, ""),
    ("维修技师", 8, 8, ""),
]
AFTERSALES_BUDGET = [
    ("人员培训", True, (6000, 4000, 4000, 6000)),
    ("客户联谊活动", True, (0, 12000, 8000, 0)),
    ("办公及通讯", False, (3000, 3000, 3000, 3000)),
]
HALL_PLAN = {
    "opportunities": "5G 套餐与终端升级需求旺盛；周边新建住宅小区带来新客户。",
    "risks": "线上渠道分流明显；节假日排队时间长引发投诉。",
    "team_review": "营业员业务熟练，但营销意识有待提升。",
    "resources_review": "自助设备使用率偏低，需要引导分流。",
    "functions_review": "班前准备和交接班执行较好，个别班次交接差异未及时说明。",
    "direction": "以日清日结和首问负责为抓手，提升客户满意度和业务办理效率。",
    "training": "每周班前会业务传达；每月一次服务礼仪培训。",
    "incentives": "按月考核营业员营销任务完成情况，与绩效工资挂钩。",
    "department_kpis": "- 客户满意率 ≥ 98%\n- 投诉两日内答复率 100%\n- 营业款差错 0 笔\n- 检查表完成率 100%",
}
HALL_HEADCOUNT = [
    ("营业员", 4, 5, "节假日弹性窗口"),
    ("客户回访员", 1, 1, ""),
]
HALL_BUDGET = [
    ("服务礼仪培训", True, (2000, 1000, 1000, 2000)),
    ("营销物料", True, (3000, 3000, 5000, 3000)),
    ("办公及通讯", False, (1500, 1500, 1500, 1500)),
]
BRANCH_PLAN = {
    "opportunities": "周边商圈代发工资客户增加，个人理财需求上升。",
    "risks": "柜面操作风险与假币、大额可疑交易的识别压力；高峰期排队引发客户不满。",
    "team_review": "柜员业务熟练，交接与双人封箱执行到位，个别柜员未按期修改柜员卡密码。",
    "resources_review": "自助设备分流效果良好；现金与重要单证库存偶有接近限额。",
    "functions_review": "尾箱日终账实相符，重要单证管理规范；大额可疑交易报告个别逾期。",
    "direction": "以内控合规为底线，落实双人封箱和日终检查，提升柜面服务质量与客户满意度。",
    "training": "每月一次业务与内控制度学习；每季度一次反假币与反洗钱培训。",
    "incentives": "柜面差错、单证超限与报告逾期纳入柜员月度考核。",
    "department_kpis": (
        "- 柜面差错率 ≤ 0.5%\n- 尾箱日终账实相符率 100%\n- 重要单证超限 0 次\n- 大额可疑交易报告及时率 100%"
    ),
}
BRANCH_HEADCOUNT = [
    ("柜员", 2, 3, "高峰期增开弹性窗口"),
    ("大堂经理", 1, 1, ""),
    ("个人业务顾问", 1, 2, ""),
]
BRANCH_BUDGET = [
    ("内控与反洗钱培训", True, (2000, 2000, 2000, 2000)),
    ("押运与现金调拨费用", True, (4500, 4500, 4500, 4500)),
    ("办公及通讯", False, (1200, 1200, 1200, 1200)),
]
OFFICE_PLAN = {
    "opportunities": "集团门店数量增加，统一制度与流程的需求上升。",
    "risks": "核心人员流失；部门间沟通不畅影响审批效率。",
    "team_review": "行政、人事、品管分工明确，跨部门协作有待加强。",
    "direction": "建立以人为本的企业文化，完善制度流程与绩效考核，做好各门店的支撑服务。",
    "training": "新员工入职培训；每季度一次管理人员培训。",
    "incentives": "按季度评选优秀团队与合理化建议奖。",
    "attrition_core_pct": "5",
    "attrition_general_pct": "12",
}
OFFICE_HEADCOUNT = [
    ("行政主管", 1, 1, ""),
    ("行政前台", 1, 1, ""),
    ("人事专员", 1, 2, "招聘与培训"),
]
OFFICE_BUDGET = [
    ("员工活动", True, (3000, 3000, 3000, 5000)),
    ("招聘与培训", True, (5000, 3000, 3000, 2000)),
    ("办公用品", False, (2000, 2000, 2000, 2000)),
]


def _position(
    ctx, title: str, code: str, department_code: str, kpis, duties, superiors=(), work="售后服务工作"
):
    """The roles demo's position with this title if there is one; else one of our own."""
    from apps.roles.services import position_seed

    return position_seed(
        organisation=ctx.organisation,
        title=title,
        code=code,
        department=ctx.departments[department_code],
        revision={
            "summary": f"{title}在总经理的指导下，总体负责{work}以及部门的运作和管理。",
            "appointment": "由总经理任命",
            "effective_date": dt.date(YEAR, 1, 1),
            "approver": "总经理",
        },
        duties=duties,
        kpis=kpis,
        superiors=superiors,
    )


def _holder(position, user, store):
    from apps.roles.services import position_holder_seed

    position_holder_seed(position=position, user=user, store=store, since=dt.date(2025, 1, 1))


def _plan(
    ctx, *, department, store, responsible, sections, objectives, steps, headcount, budget, approve_by=None
):
    plan = TargetPlan.objects.filter(department=department, year=YEAR, version=1).first()
    if plan is not None:
        return plan
    admin = ctx.users["admin"]
    plan = services.plan_create(
        by=admin,
        department=department,
        store=store,
        year=YEAR,
        responsible=responsible,
        **sections,
    )
    PlanObjective.objects.bulk_create(
        PlanObjective(plan=plan, order=i, category=c, text=t, owner=o, quarter=q)
        for i, (c, t, o, q) in enumerate(objectives)
    )
    # Each store's posts and budget in its own words (no 维修技师 outside the station).
    HeadcountLine.objects.bulk_create(
        HeadcountLine(plan=plan, order=i, post=post, current=now, planned=planned, note=note)
        for i, (post, now, planned, note) in enumerate(headcount, start=1)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(plan=plan, order=i, item=item, is_operating=operating, q1=q1, q2=q2, q3=q3, q4=q4)
        for i, (item, operating, (q1, q2, q3, q4)) in enumerate(budget, start=1)
    )
    ActionStep.objects.bulk_create(
        ActionStep(plan=plan, order=i, quarter=q, text=t, owner=ctx.users[u])
        for i, (q, t, u) in enumerate(steps)
    )
    services.plan_submit(by=admin, plan=plan)
    if approve_by is not None:
        plan = services.plan_approve(by=approve_by, plan=plan)
    ctx.count(True)
    return plan


def _letter(ctx, *, position, holder, issuer, store, plan, sign: bool):
    letter = ResponsibilityLetter.objects.filter(
        holder=holder, position=position, period_start=dt.date(YEAR, 1, 1)
    ).first()
    if letter is not None:
        return letter
    letter = services.letter_create(
        by=issuer,
        position=position,
        holder=holder,
        store=store,
        plan=plan,
        period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 12, 31),
        near_term_tasks="建立服务热线电话；建立客户车辆维修档案；制定售后服务工作流程；制定索赔与正常维修的规定。",
    )
    services.letter_set_kpis(
        by=issuer,
        letter=letter,
        rows=[
            {
                "name": n,
                "kpi_key": k,
                "unit": u,
                "base": Decimal(b),
                "stretch": Decimal(s) if s else None,
                "weight": Decimal(w),
                "higher_is_better": h,
            }
            for n, k, u, b, s, w, h in STATION_HEAD_KPIS
        ],
    )
    if sign:
        now = timezone.now()
        ResponsibilityLetter.objects.filter(pk=letter.pk).update(holder_signed_at=now, issuer_signed_at=now)
    ctx.count(True)
    return letter


def _last_months(n: int) -> list[dt.date]:
    month = timezone.localdate().replace(day=1)
    out = []
    for _i in range(n):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        out.append(month)
    return list(reversed(out))


def seed(ctx) -> None:
    station, hall = ctx.stores["station-east"], ctx.stores["hall-central"]
    manager2, manager = ctx.users["manager2"], ctx.users["manager"]
    duties = [
        "负责售后服务全面工作",
        "制定和督促实施服务营销计划",
        "负责统筹服务经营目标、管理目标的达成",
        "管理售后服务热线，处理重大客户抱怨",
        "创建 6S 管理制度及实施",
    ]
    kpis = [
        ("维修总产值", "220", "万元"),
        ("CSI", "≥ 900", "分"),
        ("十项调查", "≥ 92", "分"),
        ("回访率", "100%", "%"),
        ("满意率", "≥ 98%", "%"),
        ("保修内服务及时率", "≥ 98%", "%"),
        ("准时交车率", "≥ 96%", "%"),
    ]
    head = _position(ctx, "服务站长", "GW-DEMO-TG-01", "aftersales", kpis, duties)
    dept_manager = _position(
        ctx,
        "售后服务部经理",
        "GW-DEMO-TG-02",
        "aftersales",
        kpis,
        [
            "根据公司战略规划，提出售后服务部的规划、业务计划和预算并实施",
            "负责销售后客户跟踪及客户反馈信息收集、汇总",
            "负责建立实施售后服务外包规范",
        ],
    )
    hall_manager = _position(
        ctx,
        "营业厅经理",
        "GW-DEMO-TG-03",
        "hall-ops",
        [("客户满意率", "≥ 98%", "%"), ("投诉两日内答复率", "100%", "%")],
        ["负责营业厅日常运营管理", "处理客户投诉，督促日清日结"],
        work="营业厅日常运营工作",
    )
    _holder(head, manager2, station)
    _holder(dept_manager, manager2, station)
    _holder(hall_manager, manager, hall)

    after_plan = _plan(
        ctx,
        department=ctx.departments["aftersales"],
        store=station,
        responsible=manager2,
        sections=AFTERSALES_PLAN,
        objectives=AFTERSALES_OBJECTIVES,
        steps=AFTERSALES_STEPS,
        headcount=AFTERSALES_HEADCOUNT,
        budget=AFTERSALES_BUDGET,
        approve_by=ctx.users["admin"],  # the station head has no superior: the admin signs off
    )
    _plan(
        ctx,
        department=ctx.departments["hall-ops"],
        store=hall,
        responsible=manager,
        sections=HALL_PLAN,
        objectives=[
            ("basic", "客户满意率不低于 98%", "王芳", None),
            ("team", "每月一次服务礼仪培训", "王芳", None),
        ],
        steps=[(1, "整理营业厅服务规范并组织考试", "manager"), (2, "节假日弹性窗口排班方案", "manager")],
        headcount=HALL_HEADCOUNT,
        budget=HALL_BUDGET,
    )
    if "branch-riverside" in ctx.stores and "supervisor" in ctx.users and "branch-ops" in ctx.departments:
        _plan(
            ctx,
            department=ctx.departments["branch-ops"],
            store=ctx.stores["branch-riverside"],
            responsible=ctx.users["supervisor"],
            sections=BRANCH_PLAN,
            objectives=[
                ("basic", "柜员日终尾箱账实相符，双人封箱执行率 100%", "郑华", None),
                ("functional", "大额、可疑交易在规定期限内报告", "郑华", None),
                ("team", "每月一次内控制度学习", "郑华", None),
            ],
            steps=[
                (1, "梳理重要单证与现金库存限额，建立超限提醒", "supervisor"),
                (2, "组织反假币与反洗钱培训并考试", "supervisor"),
                (3, "检查柜员卡密码定期修改情况", "teller"),
            ],
            headcount=BRANCH_HEADCOUNT,
            budget=BRANCH_BUDGET,
        )
    if "hq" in ctx.stores and "admin" in ctx.departments:
        _plan(
            ctx,
            department=ctx.departments["admin"],
            store=ctx.stores["hq"],
            responsible=ctx.users["admin"],
            sections=OFFICE_PLAN,
            objectives=[
                ("functional", "修订公司各项管理制度并组织宣贯", "李行政", 2),
                ("team", "核心人员流失率控制在 5% 以内", "李行政", None),
            ],
            steps=[
                (1, "建立内部沟通机制与员工意见收集渠道", "admin"),
                (3, "组织年度员工满意度调查", "admin"),
            ],
            headcount=OFFICE_HEADCOUNT,
            budget=OFFICE_BUDGET,
        )

    _letter(
        ctx,
        position=head,
        holder=manager2,
        issuer=ctx.users["admin"],
        store=station,
        plan=after_plan,
        sign=True,
    )
    _letter(
        ctx,
        position=dept_manager,
        holder=manager2,
        issuer=ctx.users["admin"],
        store=station,
        plan=after_plan,
        sign=False,
    )

    months = _last_months(3)
    admin = ctx.users["admin"]
    for i, month in enumerate(months):
        for key, value in (("manual.csi", 905 + 6 * i), ("manual.ten_item_survey", 91 + i)):
            _row, created = ManualKpiValue.objects.get_or_create(
                kpi_key=key,
                store=station,
                user=None,
                month=month,
                defaults={"value": Decimal(value), "note": "厂家月度报告", "entered_by": admin},
            )
            ctx.count(created)

    for position, store, base, rate, minimum in (
        (head, station, 1500, "0.005", 3000),
        (hall_manager, hall, 2000, "0", 3000),
    ):
        _scheme, created = PayScheme.objects.get_or_create(
            position=position,
            store=store,
            defaults={
                "base": Decimal(base),
                "commission_rate": Decimal(rate),
                "minimum": Decimal(minimum),
                "daily_incentive": Decimal(200),
                "score_source": PayScheme.ScoreSource.LETTER
                if rate != "0"
                else PayScheme.ScoreSource.ENTERED,
            },
        )
        ctx.count(created)
    for store in (station, hall):
        for month in months:
            if not PaySheet.objects.filter(store=store, month=month).exists():
                services.pay_sheets_compute_month(by=None, store=store, month=month)
                ctx.count(True)
    services.snapshot_refresh_due()
