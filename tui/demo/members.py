"""What the API says about member groups and profiles, with the real server's full field sets.

Most fields are features the demo does not have (blogs, medals, birthplaces); they are sent
blank or zero, as a fresh Discuz! account has them, so a client sees the same shape.
"""

from __future__ import annotations

import sqlite3


def _names(text: str) -> list[str]:
    """Field names written as one space-separated string, to keep long lists readable."""
    return text.split()


GROUP_TITLES = {1: "管理员", 7: "游客", 10: "新手上路", 11: "注册会员"}
READ_ACCESS = {1: 200, 7: 1, 10: 10, 11: 20}

# Every permission flag of a user group, in the order the real server lists them.
GROUP_FLAGS = _names(
    "allowvisit allowsendpm allowinvite allowmailinvite allowfollow allowpost allowreply "
    "allowpostpoll allowpostreward allowposttrade allowpostactivity allowdirectpost allowgetattach "
    "allowgetimage allowpostattach allowpostimage allowvote allowsearch allowcstatus allowinvisible "
    "allowtransfer allowsetreadperm allowsetattachperm allowposttag allowhidecode allowhtml "
    "allowanonymous allowsigbbcode allowsigimgcode allowmagics allowpostdebate allowposturl "
    "allowrecommend allowpostrushreply allowcomment allowcommentmod allowcommentarticle "
    "allowcommentarticlemod allowblog allowdoing allowupload allowshare allowblogmod allowdoingmod "
    "allowuploadmod allowsharemod allowcss allowpoke allowfriend allowclick allowmagic allowstat "
    "allowstatdata allowbuildgroup allowgroupdirectpost allowgroupposturl allowpostarticle "
    "allowdownlocalimg allowdownremoteimg allowpostarticlemod allowspacediyhtml allowspacediybbcode "
    "allowspacediyimgcode allowcommentpost allowcommentitem allowcommentreply allowreplycredit "
    "allowsendallpm allowsendpmmaxnum allowmediacode allowbegincode allowat allowsave allowsavereply "
    "allowsavenum allowsetpublishdate allowfollowcollection allowcommentcollection "
    "allowcreatecollection allowimgcontent allowavatarupload allowviewprofile"
)
_GUEST_ALLOWED = frozenset(_names("allowvisit allowsendpm allowsearch allowsave allowsavereply"))
_MEMBER_DENIED = frozenset(
    _names(
        "allowinvite allowmailinvite allowfollow allowdirectpost allowcstatus allowinvisible "
        "allowtransfer allowsetreadperm allowsetattachperm allowposttag allowhidecode allowhtml "
        "allowanonymous allowsigimgcode allowpostrushreply allowcommentmod allowcommentarticlemod "
        "allowblogmod allowdoingmod allowuploadmod allowsharemod allowcss allowmagic allowstat "
        "allowstatdata allowgroupposturl allowpostarticle allowdownlocalimg allowdownremoteimg "
        "allowpostarticlemod allowspacediyhtml allowcommentreply allowsendallpm allowsendpmmaxnum "
        "allowmediacode allowbegincode allowat allowsavenum allowsetpublishdate allowimgcontent"
    )
)


def group_permissions(groupid: int, is_member: bool) -> dict[str, str]:
    """The ``group`` block of forumindex: the viewer's group and what it may do ("1"/"0")."""
    group = {"groupid": str(groupid), "grouptitle": GROUP_TITLES.get(groupid, "注册会员")}
    for name in GROUP_FLAGS:
        allowed = (name not in _MEMBER_DENIED or groupid == 1) if is_member else name in _GUEST_ALLOWED
        group[name] = "1" if allowed else "0"
    return group


_SPACE_ZERO = _names(
    "status emailstatus avatarstatus secmobilestatus groupexpiry notifysound newpm newprompt "
    "accessmasks allowadmincp onlyacceptfriendpm conisbind freeze extcredits1 extcredits3 extcredits4 "
    "extcredits5 extcredits6 extcredits7 extcredits8 friends digestposts doings blogs albums sharings "
    "views oltime todayattachs todayattachsize feeds follower following newfollower blacklist addsize "
    "addfriend menunum publishfeed gender birthyear birthmonth birthday regport port lastsendmail "
    "invisible buyercredit sellercredit favtimes sharetimes profileprogress buyerrank sellerrank"
)
_SPACE_BLANK = _names(
    "secmobicc secmobile extgroupids spacename spacedescription domain theme spacecss blockposition "
    "recentnote spacenote feedfriend magicgift stickblogs customstatus medals sightml groupterms "
    "authstr groups attentiongroup constellation zodiac nationality birthcountry birthprovince "
    "birthcity birthdist birthcommunity residecountry resideprovince residecity residedist "
    "residecommunity residesuite graduateschool company education occupation position revenue "
    "affectivestatus lookingfor bloodtype height weight bio interest field1 field2 field3 field4 "
    "field5 field6 field7 field8"
)
_PRIVACY = {
    "feed": dict.fromkeys(("doing", "blog", "upload", "poll", "newthread"), "1"),
    "view": dict.fromkeys(("index", "friend", "wall", "home", "doing", "blog", "album", "share"), "0"),
    "profile": dict.fromkeys(("bio", "site", "idcard", "address", "zipcode", "interest", "idcardtype"), "0"),
}
_MEMBER_ONLY_SPACE = _names(
    "admingroup buyerrank group lastactivitydb self sellerrank upgradecredit upgradeprogress"
)
EXTCREDITS = {
    str(index): {
        "img": "",
        "title": title,
        "unit": "",
        "ratio": "0",
        "showinthread": None,
        "allowexchangein": None,
        "allowexchangeout": None,
    }
    for index, title in ((1, "威望"), (2, "金钱"), (3, "贡献"))
}


# Where some members say they live (profile 居住地), as Discuz! stores it: province, city.
HOMES = {3: ("广东省", "深圳市"), 7: ("江苏省", "南京市")}


def space(
    member: sqlite3.Row, *, threads: int, posts: int, viewer_uid: int, dates: dict[str, str]
) -> dict[str, object]:
    """The ``space`` block of module=profile. ``dates`` holds regdate/lastvisit/lastactivity/lastpost."""
    group = int(member["groupid"])
    facts: dict[str, object] = dict.fromkeys(_SPACE_ZERO, "0")
    facts.update(dict.fromkeys(_SPACE_BLANK, ""))
    facts.update(
        {
            "uid": str(member["uid"]),
            "username": member["username"],
            "adminid": str(member["adminid"]),
            "groupid": str(group),
            "timeoffset": "9999",
            "credits": str(member["credits"]),
            "extcredits2": str(member["credits"]),
            "posts": str(posts),
            "threads": str(threads),
            "attachsize": "0 B",
            "allowasfriend": "1",
            "allowasfollow": "1",
            "privacy": _PRIVACY,
            "acceptemail": [],
            "customshow": "26",
            "site": "http://",
            "self": "1" if member["uid"] == viewer_uid else "0",
            "lastactivitydb": dates["lastactivitydb"],
            "groupiconid": "admin" if member["adminid"] == 1 else "2",
            "admingroup": {"icon": ""},
            "group": {
                "type": "system" if group == 1 else "member",
                "grouptitle": GROUP_TITLES.get(group, ""),
                "creditshigher": "50",
                "creditslower": "200",
                "stars": "2",
                "color": "",
                "icon": "",
                "readaccess": str(READ_ACCESS.get(group, 10)),
                "allowgetattach": "1",
                "allowgetimage": "1",
                "allowmediacode": "0",
                "maxsigsize": "100",
                "allowbegincode": "0",
                "userstatusby": "1",
            },
            "upgradecredit": str(max(200 - int(member["credits"]), 0)),
            "upgradeprogress": str(min(int(member["credits"]) * 100 // 200, 100)),
        }
    )
    province, city = HOMES.get(int(member["uid"]), ("", ""))
    facts.update(resideprovince=province, residecity=city)
    facts.update({key: value for key, value in dates.items() if key != "lastactivitydb"})
    if member["uid"] != viewer_uid:
        del facts["self"]
        facts["privacy"] = {**_PRIVACY, "profile": []}
    if not viewer_uid:  # guests get the bare profile
        for key in _MEMBER_ONLY_SPACE:
            facts.pop(key, None)
        facts["privacy"] = _PRIVACY
    return facts
