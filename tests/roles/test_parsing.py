"""The reader of role descriptions: each step alone (split, classify, assemble), then the genre."""

from apps.roles.parsing import parse_text
from apps.roles.reading import assemble, classify, parse_document, split
from apps.roles.reading.names import match_name, post_title, relation_names, same_post
from apps.roles.reading.split import Line


def tasks_of(parsed):
    return {a.name: [t.text for t in a.tasks] for a in parsed.areas}


def only(text):
    positions = parse_text(text)
    assert len(positions) == 1, [p.title for p in positions]
    return positions[0]


# --- step 1: split ------------------------------------------------------------------------------


def test_split_cuts_items_run_into_one_paragraph_and_keeps_every_character():
    text = "行政部职责 A. 文秘工作 (1)起草工作计划。 (2)管理公司印章。 B. 行政工作 (1)管理宿舍。"
    lines = split(text)
    assert [ln.text for ln in lines] == [
        "行政部职责",
        "A. 文秘工作",
        "(1)起草工作计划。",
        "(2)管理公司印章。",
        "B. 行政工作",
        "(1)管理宿舍。",
    ]
    assert "".join(ln.marker + ln.body for ln in lines).replace(" ", "") == text.replace(" ", "")


def test_split_gives_the_outline_by_the_order_numbering_styles_appear():
    lines = split("一、现场管理\n1、维护秩序\n(1)巡视大堂。\n(2)检查物品。\n二、预防管理\n1、检查消防器材。")
    levels = [(ln.text, ln.level, ln.has_children) for ln in lines]
    assert levels[:3] == [("一、现场管理", 0, True), ("1、维护秩序", 1, True), ("(1)巡视大堂。", 2, False)]
    assert lines[3].parent == 1 and lines[5].parent == 4


def test_split_cuts_a_table_of_contents_into_entries_not_items():
    lines = split("目录 一、目的 (1) 二、范围 (1) (一)业务办理 (4) 1、工作要点 (4)\n一、目的 本书规范作业。")
    assert [ln.style for ln in lines[:5]] == ["toc"] * 5
    assert [ln.text for ln in lines[1:5]] == [
        "一、目的 (1)",
        "二、范围 (1)",
        "(一)业务办理 (4)",
        "1、工作要点 (4)",
    ]
    assert lines[5].text == "一、目的 本书规范作业。" and lines[5].style == "cn"


def test_split_puts_a_post_heading_and_a_pay_formula_on_lines_of_their_own():
    lines = split("8、协调评价员工的表现 服务站长工资=(基本工资+产值×系数) 服务经理 岗位说明 直接上级:站长")
    assert [ln.style for ln in lines] == ["arabic", "pay", "post", "field"]
    assert lines[2].text == "服务经理 岗位说明"


def test_split_ends_an_unnumbered_item_at_a_sentence_end_and_line_break():
    lines = split("岗位职责：\n负责迎接客户。\n负责引导分流。")
    assert [ln.text for ln in lines] == ["岗位职责：", "负责迎接客户。", "负责引导分流。"]
    assert lines[1].parent == 0 and lines[2].parent == 0


# --- step 2: classify one line ------------------------------------------------------------------


def kind_of(text, **kw):
    return classify(
        Line(kw.get("style", "plain"), kw.get("marker", ""), text, has_children=kw.get("children", False))
    )


def test_classify_reads_fields_of_a_standard_form():
    assert (kind_of("岗位名称：大堂引导员").kind, kind_of("岗位名称：大堂引导员").rest) == (
        "field",
        "大堂引导员",
    )
    assert kind_of("所属部门：营业部").value == "department"
    assert (kind_of("直接上级：营业厅经理").kind, kind_of("直接上级：营业厅经理").value) == (
        "relation",
        "superiors",
    )
    assert kind_of("平行关系：保安").value == "parallels"
    assert kind_of("任职资格：高中以上学历").value == "qualifications"


def test_classify_tells_post_headings_from_section_words():
    assert kind_of("行政主管岗位职责", style="cn", marker="一、").value == "行政主管"
    assert kind_of("基本岗位职责:", style="paren_cn", marker="(二)").kind == "section"
    assert kind_of("主要职责").kind == "section"


def test_classify_sends_pay_numbers_contents_and_prose_to_the_notes():
    assert kind_of("基本工资1500", style="arabic", marker="2、").kind == "pay"
    assert kind_of("最低工资保障3000", style="arabic", marker="3、").kind == "pay"
    assert kind_of("负责员工工资核算", style="arabic", marker="3、").kind == "item"
    assert kind_of("编号:FS-QG-58728企业行政部岗位职责").kind == "docnumber"
    assert kind_of("计划人数为(52-54)人,【现有68人】").kind == "prose"
    assert classify(Line("toc", "", "一、目的 (1)")).kind == "toc"


# --- step 3: assemble ---------------------------------------------------------------------------


def test_assemble_starts_a_position_at_each_post_heading_and_records_every_line():
    lines = split(
        "行政部岗位职责 一、行政主管岗位职责 1、安排工作 二、厨师岗位职责 1、准备午餐 2、基本工资1500"
    )
    doc = assemble(lines, [classify(ln) for ln in lines])
    assert [(p.title, p.department) for p in doc.positions] == [("行政主管", "行政部"), ("厨师", "行政部")]
    assert [p.place for p in doc.placements] == ["department", "title", "task", "title", "task", "pay"]
    assert doc.positions[1].pay == ["2、基本工资1500"] and tasks_of(doc.positions[1]) == {
        "岗位职责": ["准备午餐"]
    }


# --- names --------------------------------------------------------------------------------------


def test_post_titles_lose_their_document_words():
    assert post_title("某公司行政部岗位职责") == "行政部"
    assert post_title("移动营业员的岗位职责范文") == "移动营业员"
    assert post_title("营业厅岗位标准作业指导 (台席岗)") == "台席岗"
    assert post_title("售后服务部经理目标责 任书") == "售后服务部经理"
    assert post_title("公司各部门岗位职责") == "" and post_title("主要职责") == ""


def test_relation_names_are_split_and_matched_after_normalising():
    assert relation_names("分管副总、站长") == ["分管副总", "站长"]
    assert relation_names(":直属销售总监,向销售总监负责") == ["销售总监"]
    assert relation_names("与市场部经理、行政部经理和工艺部经理等部门经理平级,保持协作") == [
        "市场部经理",
        "行政部经理",
        "工艺部经理",
    ]
    assert same_post("营业厅经理岗", "营业厅经理。") and same_post("分管副总经理", "分管副总")
    assert match_name("站长", {"服务站长": 1, "总经理": 2}) == 1
    assert match_name("经理", {"服务经理": 1, "维修经理": 2}) is None


# --- the genre ----------------------------------------------------------------------------------


def test_a_standard_form_gives_title_department_relations_duties_and_qualifications():
    parsed = only(
        "岗位名称：大堂引导员\n所属部门：营业部\n直接上级：营业厅经理\n"
        "岗位职责：\n1、迎接客户，引导分流。\n2、维护大堂秩序。\n"
        "任职资格：\n1、高中以上学历。\n2、一年以上服务工作经验。\n"
    )
    assert (parsed.title, parsed.department) == ("大堂引导员", "营业部")
    assert parsed.relations == {"superiors": ["营业厅经理"]}
    assert tasks_of(parsed) == {"岗位职责": ["迎接客户，引导分流。", "维护大堂秩序。"]}
    assert (
        parsed.fields["education"] == "高中以上学历。"
        and parsed.fields["experience"] == "一年以上服务工作经验。"
    )
    assert parsed.notes == []


def test_a_document_with_several_posts_gives_one_position_per_post():
    positions = parse_text(
        "营业厅岗位职责\n一、营业厅经理岗位职责\n1、全面负责营业厅工作。\n"
        "二、营业员岗位职责\n直接上级：营业厅经理\n1、受理业务。\n平行关系：大堂引导员岗、保安\n"
    )
    assert [p.title for p in positions] == ["营业厅经理", "营业员"]
    assert positions[1].relations == {"superiors": ["营业厅经理"], "parallels": ["大堂引导员岗", "保安"]}
    assert tasks_of(positions[0]) == {"岗位职责": ["全面负责营业厅工作。"]}


def test_a_sop_gives_a_summary_phased_areas_and_a_checklist_proposal_per_phase():
    parsed = only(
        "营业厅值班长岗位标准作业指导\n目录 一、目的 (1) 二、范围 (1) 三、班前准备 (2) 四、班后注意事项 (3)\n"
        "一、目的\n规范值班长的日常作业。\n二、范围\n适用于各营业厅值班长。\n"
        "三、班前准备\n1、检查营业设备是否正常。\n四、班中\n1、巡视大堂，疏导客流。\n"
        "五、班后注意事项\n1、核对营业款并上缴。\n六、物品管理\n1、每日清点宣传品。\n"
    )
    assert parsed.title == "营业厅值班长" and parsed.is_sop
    assert parsed.fields["summary"] == "规范值班长的日常作业。\n适用于各营业厅值班长。"
    assert [(a.name, a.phase) for a in parsed.areas] == [
        ("班前准备", "opening"),
        ("班中", "during"),
        ("班后注意事项", "closing"),
        ("物品管理", ""),
    ]
    assert parsed.checklist_proposals() == {
        "opening": ["检查营业设备是否正常。"],
        "during": ["巡视大堂，疏导客流。", "每日清点宣传品。"],
        "closing": ["核对营业款并上缴。"],
    }
    assert "一、目的 (1)" in parsed.notes and all("(1)" not in t.text for a in parsed.areas for t in a.tasks)


def test_chinese_numerals_with_parenthesised_and_arabic_items():
    parsed = only(
        "门店保安岗位职责\n"
        "一、岗位描述和职责\n(一)岗位描述:维护门店秩序,做好安全保卫工作。\n(二)基本职责:\n"
        "1、遵守门店规章制度。\n2、检查安全隐患。\n"
        "二、执行细则\n(一)现场管理\n1、维护厅内秩序\n(1)在岗期间主动维持秩序。\n(2)检查厅内物品。\n"
        "(二)预防管理\n1、每日检查消防器材。\n"
    )
    assert parsed.title == "门店保安"
    assert parsed.fields["summary"] == "维护门店秩序,做好安全保卫工作。"
    areas = tasks_of(parsed)
    assert areas["基本职责"] == ["遵守门店规章制度。", "检查安全隐患。"]
    assert areas["维护厅内秩序"] == ["在岗期间主动维持秩序。", "检查厅内物品。"]
    assert areas["预防管理"] == ["每日检查消防器材。"]
    assert parsed.areas[-1].tasks[0].frequency == "daily"


def test_duty_items_with_work_tasks_under_systems():
    parsed = only(
        "台席岗岗位职责表 主动服务营销体系 职责一:业务推广 工作任务 1、主动宣传新业务 2、配合促销 "
        "职责二:客户挽留 工作任务对于离网客户进行挽留 业务办理体系 职责一:业务办理 工作任务1、办理缴费 2、做好交接班 "
        "任职资格 教育水平中专 经验不限 性格外向"
    )
    areas = tasks_of(parsed)
    assert areas["主动服务营销体系"] == [
        "业务推广：主动宣传新业务",
        "业务推广：配合促销",
        "客户挽留：对于离网客户进行挽留",
    ]
    assert areas["业务办理体系"] == ["业务办理：办理缴费", "业务办理：做好交接班"]
    assert parsed.fields["education"] == "中专" and parsed.fields["experience"] == "不限"
    assert parsed.fields["personality"] == "外向"
    assert parsed.areas[1].tasks[1].frequency == "per_shift"


def test_bullets_question_marks_and_dashes():
    parsed = only(
        "主要职责 ?遵守公司制度 ?部门管理工作: -管理所属员工 -主持本部门例会 ?具体工作: -负责售后客户服务"
    )
    areas = tasks_of(parsed)
    assert areas["部门管理工作:"] == ["管理所属员工", "主持本部门例会"]
    assert areas["具体工作:"] == ["负责售后客户服务"]
    assert "遵守公司制度" in areas["主要职责"]


def test_labelled_items_relations_and_pay_of_one_post():
    parsed = only(
        "服务经理 岗位说明\n直接上级:分管副总、站长\n直接下属:服务顾问\n工作职责\n1. 负责前台服务营销\n2. 处理用户抱怨\n"
        "日常工作\n1. 每月初制定培训计划\n分配政策 服务经理收入=(基本工资+产值×提成系数)×绩效得分/100\n"
    )
    assert parsed.title == "服务经理"
    assert parsed.relations == {"superiors": ["分管副总", "站长"], "subordinates": ["服务顾问"]}
    assert tasks_of(parsed) == {
        "工作职责": ["负责前台服务营销", "处理用户抱怨"],
        "日常工作": ["每月初制定培训计划"],
    }
    assert parsed.areas[1].tasks[0].frequency == "monthly"
    assert parsed.pay and all("收入" not in t.text for a in parsed.areas for t in a.tasks)


def test_colon_labels_without_numbers_become_tasks():
    parsed = only("营业员职责 熟悉业务:熟悉资费标准; 营业准备:提前做好准备工作;")
    assert tasks_of(parsed)["岗位职责"] == ["熟悉业务:熟悉资费标准;", "营业准备:提前做好准备工作;"]


def test_unparseable_lines_are_kept_as_notes():
    parsed = only("某岗位\n这是一段没有编号的说明文字。\n另一段说明\n一、职责\n1、第一项")
    assert "这是一段没有编号的说明文字。" in parsed.notes and "另一段说明" in parsed.notes
    assert tasks_of(parsed) == {"职责": ["第一项"]}


def test_every_line_of_a_text_is_placed_once():
    text = "岗位名称：厨师\n岗位职责：\n1、负责午餐。\n编号:FS-1\n基本工资2000\n"
    doc = parse_document(text)
    assert sorted(p.line for p in doc.placements) == list(range(len(split(text))))


def test_other_spellings_of_the_form_labels_are_read_too():
    parsed = only(
        "客服专员岗位说明书\n职位名称：客服专员 所在部门：客服部 汇报对象：客服主管\n职位概要：负责接听客户来电。\n"
        "工作内容：\n（一）接听并记录客户来电；\n任职要求：\n学历：大专以上\n技能：熟练使用电脑\n"
        "考核标准：\n1.来电接通率≥95%\n工作权限：对投诉处理有建议权\n"
    )
    assert (parsed.title, parsed.department, parsed.relations) == (
        "客服专员",
        "客服部",
        {"superiors": ["客服主管"]},
    )
    assert (
        parsed.fields["summary"] == "负责接听客户来电。"
        and parsed.fields["authority"] == "对投诉处理有建议权"
    )
    assert parsed.fields["education"] == "大专以上" and parsed.fields["skills"] == "熟练使用电脑"
    assert tasks_of(parsed) == {"工作内容": ["接听并记录客户来电；"]}
    assert [(k.name, k.target) for k in parsed.kpis] == [("来电接通率", "≥95%")]


def test_an_unnumbered_line_after_a_title_is_a_note_and_after_a_bare_section_word_a_task():
    parsed = only("厨师岗位职责\n这一行没有编号\n1、负责午餐")
    assert parsed.notes == ["这一行没有编号"] and tasks_of(parsed) == {"岗位职责": ["负责午餐"]}
    parsed = only("厨师岗位职责\n岗位职责：\n负责午餐。\n负责采买。")
    assert parsed.notes == [] and tasks_of(parsed) == {"岗位职责": ["负责午餐。", "负责采买。"]}
