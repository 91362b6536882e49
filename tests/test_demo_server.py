"""The demo forum's own behaviours, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import httpx
import pytest

from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.server import CAPTCHA_ANSWER, DemoForum

API = "api/mobile/index.php"
PASSWORDS = {account.username: account for account in DEMO_ACCOUNTS}


def client(forum: DemoForum) -> httpx.Client:
    return httpx.Client(base_url=forum.url, follow_redirects=False, timeout=10)


def login(http: httpx.Client, username: str, version: int = 3, **extra: str) -> httpx.Response:
    account = PASSWORDS[username]
    form = {
        "username": username,
        "password": account.password,
        "questionid": str(account.question_id),
        "answer": account.answer,
        **extra,
    }
    return http.post(f"{API}?version={version}&module=login&loginsubmit=yes&loginfield=auto", data=form)


def variables(http: httpx.Client, query: str) -> dict:
    response = http.get(f"{API}?{query}")
    assert response.status_code == 200, response.text[:200]
    return response.json()["Variables"]


def reply(http: httpx.Client, tid: int, message: str, **extra: str) -> dict:
    formhash = variables(http, f"version=4&module=viewthread&tid={tid}")["formhash"]
    response = http.post(
        f"{API}?version=4&module=sendreply&tid={tid}&replysubmit=yes",
        data={"formhash": formhash, "message": message, **extra},
    )
    assert response.status_code == 200, response.text[:200]
    return response.json()


def messageval(body: dict) -> str:
    return body.get("Message", {}).get("messageval", "")


def test_v3_login_sets_session_and_v4_login_answers_503_but_logs_in(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        response = login(http, "user1", version=3)
        assert response.json()["Message"]["messageval"] == "login_succeed"
        assert response.json()["Variables"]["member_username"] == "user1"
        assert variables(http, "version=4&module=forumindex")["member_uid"] == "2"
    with client(forum_server) as http:
        response = login(http, "user1", version=4)
        assert response.status_code == 503 and "System Error" in response.text
        cookie_names = {cookie.split("=", 1)[0] for cookie in response.headers.get_list("set-cookie")}
        assert {"DEMO_2132_auth", "DEMO_2132_saltkey"} <= cookie_names
        assert variables(http, "version=4&module=forumindex")["member_username"] == "user1"


def test_v4_login_is_json_when_quirks_are_off(forum_server: DemoForum) -> None:
    forum_server.quirks = False
    with client(forum_server) as http:
        response = login(http, "user1", version=4)
        assert response.status_code == 200 and messageval(response.json()) == "login_succeed"


def test_security_question_is_required(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        form = {"username": "user3", "password": PASSWORDS["user3"].password}
        response = http.post(f"{API}?version=3&module=login&loginsubmit=yes", data=form)
        assert messageval(response.json()) == "login_question_empty"
        assert messageval(login(http, "user3").json()) == "login_succeed"


def test_five_failures_lock_the_ip_out_for_fifteen_minutes(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        texts = []
        for _ in range(5):
            response = http.post(
                "member.php?mod=logging&action=login&loginsubmit=yes&inajax=1",
                data={"username": "user5", "password": "wrong"},
            )
            assert response.headers["content-type"].startswith("text/xml")
            texts.append(response.text)
        assert "登录失败，您还可以尝试 4 次" in texts[0]
        assert "登录失败，您还可以尝试 1 次" in texts[3]
        assert "15 分钟" in texts[4]
        # Even the right password is refused while locked out, on the API too.
        assert messageval(login(http, "user5").json()) == "login_strike"
        forum_server.advance_clock(15 * 60 + 1)
        assert messageval(login(http, "user5").json()) == "login_succeed"


def test_login_captcha(forum_server: DemoForum) -> None:
    forum_server.login_captcha = True
    with client(forum_server) as http:
        assert messageval(login(http, "user1").json()) == "submit_seccode_invalid"
        secure = variables(http, "version=4&module=secure&type=login")
        image_page = http.get(secure["seccode"])
        src = image_page.text.split('src="')[1].split('"')[0]
        assert http.get(src).text == "Access Denied"  # no Referer, like the real server
        image = http.get(src, headers={"Referer": forum_server.url})
        assert image.headers["content-type"] == "image/png" and image.content.startswith(b"\x89PNG")
        wrong = login(http, "user1", sechash=secure["sechash"], seccodeverify="0000")
        assert messageval(wrong.json()) == "submit_seccode_invalid"
        right = login(http, "user1", sechash=secure["sechash"], seccodeverify=CAPTCHA_ANSWER)
        assert messageval(right.json()) == "login_succeed"


def test_secure_answers_503_when_no_captcha_is_needed(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        assert http.get(f"{API}?version=4&module=secure&type=login").status_code == 503
        forum_server.quirks = False
        assert "sechash" not in variables(http, "version=4&module=secure&type=login")


def test_guest_cannot_reply_and_wrong_formhash_is_tainted(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        assert messageval(reply(http, 14, "游客想要回复这个帖子看看")) == "replyperm_login_nopermission//1"
        login(http, "user2")
        response = http.post(
            f"{API}?version=4&module=sendreply&tid=14&replysubmit=yes",
            data={"formhash": "deadbeef", "message": "错误的 formhash 测试消息内容。"},
        )
        assert response.status_code == 503 and "非法字符" in response.text


def test_reply_is_stored_shown_and_notifies_the_thread_author(forum_server: DemoForum) -> None:
    with client(forum_server) as author:
        login(author, "user5")
        before = variables(author, "version=4&module=forumindex")["notice"]
    with client(forum_server) as http:
        login(http, "user2")
        body = reply(http, 14, "补充一下：grid-template-areas 也很好用 <b>[x]</b>")
        assert messageval(body) == "post_reply_succeed"
        pid = body["Variables"]["pid"]
        thread = variables(http, "version=4&module=viewthread&tid=14&ordertype=1")
        newest = thread["postlist"][1]
        assert newest["pid"] == pid and newest["author"] == "user2"
        assert "&lt;b&gt;[x]&lt;/b&gt;" in newest["message"]  # forum text never becomes markup
    with client(forum_server) as author:
        login(author, "user5")
        after = variables(author, "version=4&module=forumindex")["notice"]
        assert int(after["newprompt"]) == int(before["newprompt"]) + 1


def test_quote_reply_is_stored_with_a_findpost_link(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        login(http, "user2")
        first = variables(http, "version=4&module=viewthread&tid=14")["postlist"][0]
        body = reply(http, 14, "同意楼主，Grid 入门其实不难。", reppid=first["pid"])
        pid = body["Variables"]["pid"]
        posts = variables(http, "version=1&module=viewthread&tid=14&ordertype=1")["postlist"]
        quoted = next(post for post in posts if post["pid"] == pid)
        assert '<div class="quote"><blockquote>' in quoted["message"]
        assert f"goto=findpost&amp;pid={first['pid']}&amp;ptid=14" in quoted["message"]
        assert "user5 发表于" in quoted["message"]
        location = http.get(f"forum.php?mod=redirect&goto=findpost&pid={pid}&ptid=14")
        assert location.status_code == 301
        assert location.headers["location"].startswith("forum.php?mod=viewthread&tid=14&page=1#pid")


def test_flood_control_and_minimum_length(forum_server: DemoForum) -> None:
    forum_server.flood_seconds = 15
    with client(forum_server) as http:
        login(http, "user5")
        assert messageval(reply(http, 14, "短")) == "post_message_tooshort"
        assert messageval(reply(http, 14, "第一条回复，长度足够通过检查。")) == "post_reply_succeed"
        assert messageval(reply(http, 14, "第二条回复，十五秒内再次发送。")) == "post_flood_ctrl"
        forum_server.advance_clock(16)
        assert messageval(reply(http, 14, "第三条回复，等待之后再发送。")) == "post_reply_succeed"
        forum_server.advance_clock(16)
        forum_server.min_message_length = 40
        assert messageval(reply(http, 14, "这条消息现在不够长了但之前是够的。")) == "post_message_tooshort"


def test_closed_thread_refuses_replies(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        login(http, "user2")
        assert messageval(reply(http, 26, "关闭的帖子还能回复吗？试一试。")) == "post_thread_closed"


def test_members_only_forum_and_its_attachments(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        guest = http.get(f"{API}?version=4&module=forumdisplay&fid=10").json()
        assert messageval(guest) == "viewperm_login_nopermission//1"
        assert "10" not in [
            fid
            for group in variables(http, "version=4&module=forumindex")["catlist"]
            for fid in group["forums"]
        ]
        assert b"PK" not in http.get("forum.php?mod=attachment&aid=3").content[:2]
        login(http, "user1")
        threads = variables(http, "version=4&module=forumdisplay&fid=10")["forum_threadlist"]
        assert "29" in [thread["tid"] for thread in threads]
        post = variables(http, "version=4&module=viewthread&tid=29")["postlist"][0]
        assert post["attachments"]["3"]["filename"] == "client-notes.zip"
        download = http.get("forum.php?mod=attachment&aid=3")
        assert download.status_code == 200 and download.content[:2] == b"PK"


def test_one_poll_vote_per_user(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        login(http, "user1")
        poll = variables(http, "version=4&module=viewthread&tid=27")["special_poll"]
        assert poll["allowvote"] == "1"
        formhash = variables(http, "version=4&module=forumindex")["formhash"]
        url = f"{API}?version=4&module=pollvote&fid=5&tid=27&pollsubmit=yes"
        first = http.post(url, data={"formhash": formhash, "pollanswers[]": "4"}).json()
        assert messageval(first) == "thread_poll_succeed" and first["Version"] == "2"
        again = http.post(url, data={"formhash": formhash, "pollanswers[]": "3"}).json()
        assert messageval(again) == "thread_poll_voted"
        after = variables(http, "version=4&module=viewthread&tid=27")["special_poll"]
        assert int(after["polloptions"]["4"]["votes"]) == int(poll["polloptions"]["4"]["votes"]) + 1
        assert after["allowvote"] == "0"


def test_favourites_and_private_messages(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        login(http, "user1")
        formhash = variables(http, "version=4&module=forumindex")["formhash"]
        url = f"{API}?version=4&module=favthread&id=1&favoritesubmit=true"
        assert messageval(http.post(url, data={"formhash": formhash}).json()) == "favorite_do_success"
        assert messageval(http.post(url, data={"formhash": formhash}).json()) == "favorite_repeat"
        favourites = variables(http, "version=4&module=myfavthread")["list"]
        assert "1" in [item["id"] for item in favourites]
        sent = http.post(
            f"{API}?version=4&module=sendpm",
            data={"formhash": formhash, "touid": "5", "message": "你好 user4！", "pmsubmit": "yes"},
        )
        assert messageval(sent.json()) == "do_success"
        again = http.post(
            f"{API}?version=4&module=sendpm",
            data={"formhash": formhash, "touid": "5", "message": "再来一条", "pmsubmit": "yes"},
        )
        assert messageval(again.json()) == "message_can_not_send_2"
    with client(forum_server) as http:
        login(http, "user4")
        assert variables(http, "version=4&module=forumindex")["notice"]["newpm"] == "1"
        conversation = variables(http, "version=4&module=mypm&subop=view&touid=2")["list"]
        assert conversation[-1]["message"] == "你好 user4！"
        assert variables(http, "version=4&module=forumindex")["notice"]["newpm"] == "0"


def test_new_thread_is_listed_first(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        login(http, "user5")
        formhash = variables(http, "version=4&module=forumindex")["formhash"]
        url = f"{API}?version=4&module=newthread&fid=8&topicsubmit=yes"
        empty = http.post(
            url, data={"formhash": formhash, "subject": "", "message": "没有标题的主题内容测试"}
        )
        assert messageval(empty.json()) == "post_sm_isnull"
        made = http.post(
            url,
            data={
                "formhash": formhash,
                "subject": "终端客户端发帖测试",
                "message": "这是一条通过移动 API 发出的测试主题。",
            },
        ).json()
        assert messageval(made) == "post_newthread_succeed"
        threads = variables(http, "version=4&module=forumdisplay&fid=8")["forum_threadlist"]
        normal = [thread for thread in threads if thread["displayorder"] == "0"]
        assert normal[0]["tid"] == made["Variables"]["tid"]


@pytest.mark.parametrize(("query", "expected"), [("page=13", 126), ("page=14", 126), ("ppp=5&page=3", 15)])
def test_thread_pages(forum_server: DemoForum, query: str, expected: int) -> None:
    with client(forum_server) as http:
        posts = variables(http, f"version=4&module=viewthread&tid=1&{query}")["postlist"]
        assert int(posts[-1]["position"]) == expected


def test_author_filter_and_reverse_order(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        only = variables(http, "version=4&module=viewthread&tid=1&authorid=2")["postlist"]
        assert {post["authorid"] for post in only} == {"2"}
        assert [post["number"] for post in only] == [str(n) for n in range(1, len(only) + 1)]
        reverse = variables(http, "version=4&module=viewthread&tid=1&ordertype=1")["postlist"]
        assert [post["position"] for post in reverse[:3]] == ["1", "126", "125"]


def test_v4_drops_code_blocks_unless_quirks_are_off(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        v4 = variables(http, "version=4&module=viewthread&tid=5")["postlist"][0]["message"]
        v1 = variables(http, "version=1&module=viewthread&tid=5")["postlist"][0]["message"]
        assert "blockcode" not in v4 and "import sys" not in v4
        assert '<div class="blockcode">' in v1 and "import sys" in v1
        forum_server.quirks = False
        plain = variables(http, "version=4&module=viewthread&tid=5")["postlist"][0]["message"]
        assert "import sys" in plain


def test_missing_thread_is_404_and_unknown_module(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        missing = http.get(f"{API}?version=4&module=viewthread&tid=999")
        assert missing.status_code == 404 and messageval(missing.json()) == "thread_nonexistence"
        assert http.get(f"{API}?version=4&module=nosuchmodule").json() == {"error": "module_not_exists"}


def test_state_survives_a_restart_in_the_same_data_dir(tmp_path) -> None:
    with DemoForum(tmp_path) as forum, client(forum) as http:
        login(http, "user2")
        pid = reply(http, 14, "重启之后这条回复还在吗？应该在。")["Variables"]["pid"]
    with DemoForum(tmp_path) as forum, client(forum) as http:
        posts = variables(http, "version=4&module=viewthread&tid=14&ordertype=1")["postlist"]
        assert posts[1]["pid"] == pid


def test_post_captcha(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        login(http, "user2")
        assert http.get(f"{API}?version=4&module=secure&type=post").status_code == 503  # off: the 503 quirk
        forum_server.post_captcha = True
        assert messageval(reply(http, 14, "没有验证码的回复应该被拒绝。")) == "submit_seccode_invalid"
        secure = variables(http, "version=4&module=secure&type=post")
        body = reply(
            http, 14, "带验证码的回复可以发出去。", sechash=secure["sechash"], seccodeverify=CAPTCHA_ANSWER
        )
        assert messageval(body) == "post_reply_succeed"


def test_v4_drops_inline_attachment_images_and_v1_keeps_them(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        v4 = variables(http, "version=4&module=viewthread&tid=28")["postlist"][0]
        v1 = variables(http, "version=1&module=viewthread&tid=28")["postlist"][0]
        assert 'attach="1"' not in v4["message"] and "attachments" not in v4
        assert 'attach="1"' in v1["message"]
        image = http.get(v1["message"].split('<img src="')[1].split('"')[0])
        assert image.headers["content-type"] == "image/png" and image.content.startswith(b"\x89PNG")


def test_v1_only_lists_an_image_the_message_does_not_place(forum_server: DemoForum) -> None:
    """As the API source has it: v1 leaves such an image to the list; v4 (as captured) shows it."""
    with client(forum_server) as http:
        login(http, "user1")
        v1 = variables(http, "version=1&module=viewthread&tid=29")["postlist"][0]
        v4 = variables(http, "version=4&module=viewthread&tid=29")["postlist"][0]
        assert v1["attachments"]["4"]["filename"] == "screenshot.png"
        assert "screenshot.png" not in v1["message"]
        assert "4" not in v4["attachments"] and "screenshot.png" in v4["message"]


def test_tainted_requests_are_refused_like_discuz(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        assert http.get(f"{API}?version=4&module=forumindex&x=%3Cscript%3E").status_code == 503
        # A log-in POST carries no formhash, so quotes in its fields are refused too.
        form = {"username": "user1", "password": "it's(wrong)"}
        refused = http.post(f"{API}?version=4&module=login&loginsubmit=yes", data=form)
        assert refused.status_code == 503 and "非法字符" in refused.text


def test_any_request_gets_an_answer_never_a_dropped_connection() -> None:
    """Random modules and parameters: the forum always answers, like PHP, and keeps serving."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tui.demo.mobile import MODULES

    values = st.one_of(st.integers(-5, 10**12).map(str), st.text(max_size=12))
    names = [
        "tid",
        "fid",
        "page",
        "ppp",
        "tpp",
        "uid",
        "uids",
        "authorid",
        "ordertype",
        "orderby",
        "aid",
        "pid",
    ]
    with DemoForum() as forum, client(forum) as http:
        login(http, "user1")
        formhash = variables(http, "version=4&module=forumindex")["formhash"]

        @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
        @given(
            module=st.sampled_from(sorted(MODULES)),
            version=st.sampled_from(["", "1", "2", "3", "4", "9", "x"]),
            params=st.dictionaries(st.sampled_from(names), values, max_size=4),
            post=st.booleans(),
        )
        def probe(module: str, version: str, params: dict[str, str], post: bool) -> None:
            query = {"module": module, "version": version, **params}
            if post:
                response = http.post(
                    API,
                    params=query,
                    data={"formhash": formhash, "message": "随机测试的回复内容足够长", **params},
                )
            else:
                response = http.get(API, params=query)
            assert response.status_code in (200, 302, 404, 503)
            if response.headers["content-type"] == "application/json" and response.content:
                response.json()

        probe()
        assert forum.site is not None and forum.site.last_error == ""
        assert variables(http, "version=4&module=forumindex")["member_username"] == "user1"


def test_uploaded_file_is_attached_to_the_reply_that_names_it(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        login(http, "user1")
        allow = variables(http, "version=4&module=checkpost&fid=7")["allowperm"]
        upload = f"{API}?version=4&module=forumupload&fid=7&type=attach&simple=1"
        notes = ("notes.txt", "笔记 notes\n".encode())
        refused = http.post(upload, data={"uid": "2", "hash": "0" * 32}, files={"Filedata": notes})
        assert refused.text == ""
        answer = http.post(upload, data={"uid": "2", "hash": allow["uploadhash"]}, files={"Filedata": notes})
        marker, error, aid, is_image, _ = answer.text.split("|")
        assert (marker, error, is_image) == ("DISCUZUPLOAD", "0", "0")
        body = reply(
            http, 14, f"附件在这里 [attach]{aid}[/attach]", **{f"attachnew[{aid}][description]": "笔记"}
        )
        pid = body["Variables"]["pid"]
        post = next(
            post
            for post in variables(http, "version=4&module=viewthread&tid=14&ordertype=1")["postlist"]
            if post["pid"] == pid
        )
        assert post["attachments"][aid]["filename"] == "notes.txt"
        assert post["attachments"][aid]["description"] == "笔记"
        download = http.get(f"forum.php?mod=attachment&aid={aid}")
        assert download.content == notes[1]


def test_demo_content_has_what_a_newcomer_should_find(forum_server: DemoForum) -> None:
    with client(forum_server) as http:
        login(http, "user1")
        index = variables(http, "version=4&module=forumindex")
        assert len(index["catlist"]) >= 3
        boards = index["forumlist"]
        assert len(boards) >= 7 and len(boards) + sum(len(board.get("sublist", [])) for board in boards) >= 9
        assert {"10", "5", "8"} <= {board["fid"] for board in boards}
        rows = [
            thread
            for fid in ("2", "5", "8", "9")
            for thread in variables(http, f"version=4&module=forumdisplay&fid={fid}&tpp=100")[
                "forum_threadlist"
            ]
        ]
        assert any(row["displayorder"] == "3" for row in rows) and any(
            row["displayorder"] == "1" for row in rows
        )
        assert any(row["digest"] != "0" for row in rows) and any(row["special"] == "1" for row in rows)
        assert max(int(row["replies"]) for row in rows) >= 5000
        assert variables(http, "version=4&module=viewthread&tid=26")["thread"]["closed"] == "1"
        assert variables(http, "version=4&module=viewthread&tid=3")["thread"]["highlight"] != "0"
        english = variables(http, "version=4&module=viewthread&tid=7")["thread"]["subject"]
        assert english.isascii()


def test_only_one_author_counts_that_authors_posts_as_discuz_does(forum_server: DemoForum) -> None:
    """As in the capture v4_viewthread_tid1_authorid2: ``replies`` is the author's posts less one."""
    with client(forum_server) as http:
        everyone = variables(http, "version=4&module=viewthread&tid=1")["thread"]
        theirs = variables(http, "version=4&module=viewthread&tid=1&authorid=2&page=99")
        own = int(theirs["thread"]["replies"]) + 1
        assert theirs["thread"]["allreplies"] == everyone["replies"] and own < int(everyone["replies"])
        last_page = -(-own // 10)
        assert theirs["postlist"][0]["number"] == str((last_page - 1) * 10 + 1)
        assert {post["authorid"] for post in theirs["postlist"]} == {"2"}
