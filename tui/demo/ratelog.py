"""The demo's rating log (Discuz!'s ``forum_ratelog``): the credits members may rate with, the
stored ratings, and the block a thread page shows under a rated floor.

Kept apart from the rate form's module so the thread page can show the log without importing
the form handlers (which import the page layout).
"""

from __future__ import annotations

import html
import sqlite3

from tui.demo.site import DemoSite

# credit id → (name, least, most, total per 24 hours): a member group's ``raterange``
CREDITS = {1: ("威望", -1, 1, 5), 2: ("金钱", -5, 5, 30)}
_TABLE = """CREATE TABLE IF NOT EXISTS ratings(
    pid INTEGER NOT NULL, uid INTEGER NOT NULL, username TEXT NOT NULL, credit INTEGER NOT NULL,
    score INTEGER NOT NULL, reason TEXT NOT NULL, dateline INTEGER NOT NULL)"""


def rows(site: DemoSite, pid: int) -> list[sqlite3.Row]:
    """A floor's ratings, newest first (a data folder from before ratings gets the table here)."""
    site.store.run(_TABLE)
    return site.store.all("SELECT * FROM ratings WHERE pid = ? ORDER BY dateline DESC, rowid DESC", pid)


def floor_block(site: DemoSite, tid: int, pid: int) -> str:
    """The rating table under a floor, as the default template draws it with ``ratelogon``: a
    header with the number of raters and each credit's total, then one row per rater with
    their amount of each credit and their first reason. Nothing for an unrated floor."""
    given = rows(site, pid)
    if not given:
        return ""
    totals: dict[int, int] = {}
    raters: dict[int, dict] = {}
    for row in given:
        totals[row["credit"]] = totals.get(row["credit"], 0) + row["score"]
        rater = raters.setdefault(row["uid"], {"name": row["username"], "scores": {}, "reason": ""})
        rater["scores"][row["credit"]] = rater["scores"].get(row["credit"], 0) + row["score"]
        rater["reason"] = rater["reason"] or row["reason"]
    credits = sorted(totals)
    link = f"forum.php?mod=misc&amp;action=viewratings&amp;tid={tid}&amp;pid={pid}"
    heads = "".join(
        f'<th class="xw1" width="80">{CREDITS[credit][0]} <i><span class="xi1">{totals[credit]:+d}'
        "</span></i></th>"
        if totals[credit] > 0
        else f'<th class="xw1" width="80">{CREDITS[credit][0]} <i><span class="xi1">{totals[credit]}'
        "</span></i></th>"
        for credit in credits
    )
    lines = ""
    for uid, rater in raters.items():
        cells = "".join(
            f'<td class="xi1"> + {rater["scores"][credit]}</td>'
            if rater["scores"].get(credit, 0) > 0
            else f'<td class="xg1">{rater["scores"].get(credit, "")}</td>'
            for credit in credits
        )
        space = f"home.php?mod=space&amp;uid={uid}"
        lines += (
            f'<tr id="rate_{pid}_{uid}"><td><a href="{space}" target="_blank"><img '
            f'src="uc_server/avatar.php?uid={uid}&amp;size=small" /></a> <a href="{space}" '
            f'target="_blank">{html.escape(rater["name"])}</a></td>{cells}'
            f'<td class="xg1">{html.escape(rater["reason"])}</td></tr>'
        )
    return (
        f'<h3 class="psth xs1"><span class="icon_ring vm"></span>评分</h3><dl id="ratelog_{pid}" '
        f'class="rate"><dd style="margin:0"><div id="post_rate_{pid}"></div><table class="ratl"><tr>'
        f'<th class="xw1" width="120"><a href="{link}" title="查看全部评分"> 参与人数 '
        f'<span class="xi1">{len(raters)}</span></a></th>{heads}<th><a href="javascript:;" '
        'class="y xi2 op">收起</a> <i class="txt_h">理由</i></th></tr>'
        f'<tbody class="ratl_l">{lines}</tbody></table><p class="ratc"><a href="{link}" '
        'title="查看全部评分" class="xi2">查看全部评分</a></p></dd></dl>'
    )
