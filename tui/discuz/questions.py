"""The security questions a Discuz! log-in may ask (``questionid`` is the index; 0 = none set)."""

from __future__ import annotations

SECURITY_QUESTIONS: tuple[str, ...] = (
    "No security question",
    "母亲的名字 (Mother's name)",
    "爷爷的名字 (Grandfather's name)",
    "父亲出生的城市 (Father's birth city)",
    "您其中一位老师的名字 (One of your teachers' names)",
    "您个人计算机的型号 (Your computer's model)",
    "您最喜欢的餐馆名称 (Favourite restaurant)",
    "驾驶执照最后四位数字 (Last four digits of driving licence)",
)
