"""The handover items a new organisation starts with, per kind of store (data: an admin edits them
in the admin afterwards). Business hall and bank branch from 营业厅 / 银行网点营业主管岗位职责, the
station from the service station's front desk (委托书, customers' keys, parts waiting to be fitted)."""

from __future__ import annotations

from apps.org.models import StoreKind

from .models import Section

CASH = "100,50,20,10,5,1,0.5,0.1"

DEFAULT_ITEMS: dict[str, list[tuple[str, str, str, str, str]]] = {
    # code, name, section, unit, denominations
    StoreKind.BUSINESS_HALL: [
        ("float", "备用金", Section.FLOAT, "元", "100,50,20,10,5,1"),
        ("takings-cash", "营业款（现金）", Section.TAKINGS, "元", ""),
        ("takings-card", "营业款（银行卡）", Section.TAKINGS, "元", ""),
        ("takings-mobile", "营业款（移动支付）", Section.TAKINGS, "元", ""),
        ("sim", "SIM 卡", Section.STOCK, "张", ""),
        ("recharge", "充值卡", Section.STOCK, "张", ""),
        ("handset", "手机", Section.STOCK, "台", ""),
        ("invoice", "发票", Section.STOCK, "份", ""),
        ("voucher", "重要单证（空白协议）", Section.STOCK, "份", ""),
    ],
    StoreKind.BANK_BRANCH: [
        ("cash", "尾箱现金", Section.CASH, "元", CASH),
        ("voucher-passbook", "重要空白凭证（存折）", Section.VOUCHER, "本", ""),
        ("voucher-debit-card", "重要空白凭证（借记卡）", Section.VOUCHER, "张", ""),
        ("voucher-deposit", "重要空白凭证（定期存单）", Section.VOUCHER, "张", ""),
        ("voucher-cheque", "重要空白凭证（支票）", Section.VOUCHER, "本", ""),
        ("seal", "业务印章", Section.STOCK, "枚", ""),
        ("token", "柜员令牌", Section.STOCK, "个", ""),
        ("keys", "尾箱钥匙", Section.STOCK, "把", ""),
    ],
    StoreKind.SERVICE_STATION: [
        ("float", "备用金", Section.FLOAT, "元", "100,50,20,10,5,1"),
        ("settled-cash", "结算款（现金）", Section.TAKINGS, "元", ""),
        ("work-orders", "未结委托书（工单）", Section.STOCK, "份", ""),
        ("car-keys", "客户车钥匙", Section.STOCK, "把", ""),
        ("parts", "待装备件", Section.STOCK, "件", ""),
    ],
}
