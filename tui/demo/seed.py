"""The demo forum's content, written for this project, in Chinese and English.

Ids follow the real captures where practical (tid 1 is the 126-post check-in thread in fid 8,
tid 27 the poll, fid 10 members-only, ...) so tests written against captures find the same
things here. Seeding is bulk inserts in one transaction; ``benchmarks/`` measures it.
"""

from __future__ import annotations

import io
import secrets
import sqlite3
import zipfile
from dataclasses import dataclass, field

from tui.demo.accounts import DEMO_ACCOUNTS
from tui.demo.dates import full_date
from tui.demo.images import gradient_png
from tui.demo.store import PHONE_STATUS, SCHEMA, hash_secret, new_salt

DAY = 86400
HOUR = 3600
BIG_THREAD_ID = 50
BIG_THREAD_POSTS = 5200

# uid -> (groupid, adminid, credits); seed() derives the email from the uid
_MEMBER_FACTS = {
    1: (1, 1, 1024),
    2: (11, 0, 104),
    3: (11, 0, 60),
    4: (11, 0, 30),
    5: (11, 0, 22),
    6: (11, 0, 15),
    7: (10, 0, 5),
}

# Members whose seeded replies were sent from a phone (status bit 4, shown as 来自手机).
_PHONE_POSTERS = {5, 7}

# (fid, fup, type, name, description, members_only)
FORUMS: tuple[tuple[int, int, str, str, str, int], ...] = (
    (1, 0, "group", "Discuz! 站务", "", 0),
    (3, 0, "group", "技术交流", "", 0),
    (4, 0, "group", "生活休闲 Life & Fun", "", 0),
    (
        2,
        1,
        "forum",
        "站务公告 Announcements",
        "论坛公告、站务讨论与反馈。Site announcements and feedback.",
        0,
    ),
    (5, 3, "forum", "Python 编程", "Python 语言学习与交流，欢迎新手提问。Everything Python.", 0),
    (6, 3, "forum", "Linux 与运维", "Linux、Shell、服务器运维经验分享。Linux and ops.", 0),
    (7, 3, "forum", "前端开发", "HTML、CSS、JavaScript 与各种框架。Front-end development.", 0),
    (8, 4, "forum", "灌水乐园 Off-topic", "随便聊聊，轻松一下。Chat about anything.", 0),
    (9, 4, "forum", "摄影天地 Photography", "分享你的照片与器材心得。Share your photos.", 0),
    (10, 4, "forum", "会员专区 Members Only", "仅限注册会员浏览的版块。Registered members only.", 1),
    (11, 5, "sub", "Django & Flask 框架", "Python Web 框架讨论。Python web frameworks.", 0),
    (12, 5, "sub", "数据科学 Data Science", "NumPy、pandas、可视化与机器学习。", 0),
)


@dataclass
class SeedThread:
    tid: int
    fid: int
    author: int  # uid
    subject: str
    first: str
    replies: list[tuple[int, str]] = field(default_factory=list)  # (uid, BBCode)
    age_days: float = 3.0
    displayorder: int = 0
    digest: int = 0
    highlight: int = 0
    closed: int = 0
    special: int = 0


def _web_quote(pid: int, tid: int, author: str, when: str, excerpt: str) -> str:
    """A quote as the desktop reply form writes it: header link back to the quoted floor."""
    return (
        f"[quote][size=2][url=forum.php?mod=redirect&goto=findpost&pid={pid}&ptid={tid}]"
        f"[color=#999999]{author} 发表于 {when}[/color][/url][/size]\n{excerpt}[/quote]\n"
    )


WELCOME = """[size=4][b]欢迎来到 DZ 演示社区！[/b][/size]

本论坛是 forum-tui 自带的演示站点，请大家文明发言。Welcome! Please read the rules below before posting.

[list=1]
[*][b]禁止[/b]发布广告与违法内容 / No spam or illegal content
[*]提问前请先搜索 / Search before asking
[*]代码请使用 code 标签包裹 / Wrap code in code tags
[*]保持友善 :) / Be nice
[/list]

常用链接 Useful links:
[url=forum.php]论坛首页 Forum index[/url] | [url=https://www.discuz.vip/]Discuz! 官网[/url]

[color=Red]违反规则者将被禁言。[/color] Violators will be muted. :lol"""

PY312 = """整理了一下 Python 3.12 的主要变化，欢迎补充：

[b]1. 更好的错误提示[/b]
[code]>>> import sys
>>> sys.version_info
sys.version_info(major=3, minor=12, micro=0, releaselevel='final', serial=0)[/code]
[b]2. f-string 语法放宽 (PEP 701)[/b]
[code]songs = ["Take me back to Eden", "Alkaline", "Ascensionism"]
print(f"This is the playlist: {", ".join(songs)}")[/code]
[b]3. 类型参数语法 (PEP 695)[/b]
[code]def max[T](args: list[T]) -> T:
    ...

class Stack[T]:
    def push(self, item: T) -> None: ...[/code]
官方文档：[url=https://docs.python.org/3/whatsnew/3.12.html]What's New In Python 3.12[/url]

你们升级了吗？:D"""

TABLE = """团队要开新项目，前端框架选型纠结中。

[table]
[tr][td][b]对比项[/b][/td][td][b]Vue 3[/b][/td][td][b]React[/b][/td][/tr]
[tr][td]上手难度[/td][td]低[/td][td]中[/td][/tr]
[tr][td]生态[/td][td]丰富[/td][td]非常丰富[/td][/tr]
[tr][td]TypeScript[/td][td]好[/td][td]很好[/td][/tr]
[/table]

大家怎么看？Which one would you pick?"""


def _threads() -> list[SeedThread]:
    threads = [
        SeedThread(
            2,
            2,
            1,
            "欢迎来到 DZ 演示社区！新人必读 / Welcome & forum rules",
            WELCOME,
            [
                (2, "收到，遵守规则！Got it"),
                (3, "支持一下，希望论坛越办越好 :victory:"),
                (7, "新人报到，请多关照"),
            ],
            age_days=120,
            displayorder=3,
        ),
        SeedThread(
            3,
            2,
            1,
            "【公告】论坛升级维护通知 Maintenance notice",
            "本周六凌晨 [color=Red][b]02:00–04:00[/b][/color] 服务器升级，期间无法访问。\n"
            "The forum will be down for maintenance on Saturday 02:00–04:00 (UTC+8).",
            [(4, "辛苦管理员了 :handshake")],
            age_days=30,
            highlight=1,
        ),
        SeedThread(
            4,
            2,
            2,
            "意见反馈专用帖 Feedback thread",
            "对论坛有什么建议都可以在这里提，管理员会定期查看。\nSuggestions welcome here.",
            [(6, "希望能加个夜间模式 :)"), (1, "已记录，谢谢反馈！Noted, thanks.")],
            age_days=20,
        ),
        SeedThread(
            5,
            5,
            2,
            "Python 3.12 有哪些值得关注的新特性？",
            PY312,
            [
                (3, "f-string 终于可以嵌套同样的引号了，太方便了"),
                (4, "type 语句也很好用：[b]type Point = tuple[float, float][/b]"),
            ],
            age_days=6,
            digest=1,
        ),
        SeedThread(
            6,
            5,
            3,
            "asyncio 还是 threading？写爬虫怎么选",
            "最近写爬虫，纠结用 asyncio 还是 threading。\n\nIO 密集型任务两者都能用，"
            "但是 asyncio 的生态（aiohttp、httpx）好像更现代一些？\n"
            "[quote]Concurrency is not parallelism. — Rob Pike[/quote]\n求大佬指点 :Q",
            [
                (
                    2,
                    "IO 密集用 asyncio，CPU 密集用 multiprocessing，简单任务用 ThreadPoolExecutor 就够了。\n"
                    "[code]from concurrent.futures import ThreadPoolExecutor\n\nwith "
                    "ThreadPoolExecutor(8) as pool:\n"
                    "    pages = list(pool.map(fetch, urls))[/code]",
                ),
                (5, "httpx 同时支持同步和异步，推荐 :handshake"),
                (
                    3,
                    "[quote][color=#999999]user1 发表于 3 天前[/color]\n"
                    "[color=#999999]IO 密集用 asyncio，CPU 密集用 multiprocessing……[/color][/quote]\n学到了，"
                    "谢谢！",
                ),
            ],
            age_days=5,
        ),
        SeedThread(
            7,
            5,
            4,
            "How do I decode \\uXXXX escapes in JSON?",
            'I get strings like [color=Blue]"\\u4f60\\u597d"[/color] from an API. How do I turn them into '
            "readable text?\n\nIs [b]json.loads[/b] enough or do I need [u]codecs[/u]? Thanks!",
            [
                (
                    2,
                    "`json.loads` is enough: it decodes the escapes automatically. If you print the dict use "
                    "[b]ensure_ascii=False[/b] with json.dumps.",
                ),
                (4, "Thanks, that solved it! :D"),
            ],
            age_days=4,
        ),
        SeedThread(
            8,
            5,
            5,
            "pyproject.toml 入门：告别 setup.py",
            '分享一个最小的 [b]pyproject.toml[/b]：\n[code][project]\nname = "demo"\nversion = "0.1.0"\n'
            'dependencies = ["httpx>=0.28"][/code]\n有问题欢迎讨论。',
            [(6, "请问 build-backend 选哪个好？"), (5, "新手用 setuptools 或 hatchling 都行。")],
            age_days=9,
        ),
        SeedThread(
            25,
            5,
            1,
            "【资源】Python 学习资料合集（回复可见）",
            "整理了一份 Python 学习资料，回复本帖即可查看下载地址：\n\n"
            "[hide]下载地址：[url=forum.php?mod=attachment&aid=3]client-notes.zip[/url]\n提取码：[b]dz35[/b][/hide]\n\n"
            "[hide=50]积分达到 50 才能看到这段内容 / Visible only with "
            "50+ credits.[/hide]\n\n觉得有用请顶一下 :victory:",
            [(3, "感谢楼主分享！"), (4, "Thanks for sharing, very helpful.")],
            age_days=60,
            displayorder=1,
        ),
        SeedThread(
            26,
            5,
            6,
            "【已解决】pip 安装报错 SSL: CERTIFICATE_VERIFY_FAILED",
            "公司网络下 pip 安装总是报 SSL 错误，怎么办？",
            [
                (2, "配置公司的根证书：pip config set global.cert /path/to/ca.pem"),
                (6, "解决了，谢谢！本帖关闭。"),
            ],
            age_days=15,
            closed=1,
        ),
        SeedThread(
            27,
            5,
            2,
            "【投票】你日常用的 Python 版本是？Which Python version do you use?",
            "做个小调查，看看大家都在用哪个版本 :)\nQuick survey: which "
            "Python version do you use day-to-day?",
            [(3, "3.12 用户报到 :)")],
            age_days=2,
            special=1,
        ),
        SeedThread(
            9,
            6,
            4,
            "分享几个常用的 Shell 技巧 Handy shell tricks",
            "[list][*][b]Ctrl+R[/b] 搜索历史命令\n[*][b]!![/b] "
            "重复上一条命令\n[*][b]cd -[/b] 回到上一个目录[/list]",
            [(2, "补充一个：[b]ctrl+a / ctrl+e[/b] 跳到行首行尾")],
            age_days=12,
        ),
        SeedThread(
            10,
            6,
            3,
            "systemd 服务开机自启失败排查",
            "写了个 service 文件，enable 之后重启不生效，journalctl 里也没有日志。",
            [(1, "检查 WantedBy 是否写了 multi-user.target。")],
            age_days=8,
        ),
        SeedThread(
            11,
            6,
            7,
            "Debian 13 升级体验",
            "昨天把家里的服务器升级到了 Debian 13，一切顺利 :lol",
            [(5, "我还在 12 上，观望一下。")],
            age_days=1,
        ),
        SeedThread(
            12,
            7,
            6,
            "Vue 还是 React？2026 年的新手该学哪个",
            "零基础转前端，两个框架该先学哪个？",
            [(3, "先把 JavaScript 基础打牢，框架之后都很快。")],
            age_days=10,
        ),
        SeedThread(
            13,
            7,
            3,
            "前端框架选型对比表 Framework comparison",
            TABLE,
            [(5, "我们组选了 Vue，上手确实快。")],
            age_days=7,
        ),
        SeedThread(
            14,
            7,
            6,
            "CSS Grid 入门：十分钟搞定二维布局",
            "CSS Grid 入门其实不难，掌握 [b]grid-template-columns[/b] 和 [b]gap[/b] 就能解决大部分布局。\n"
            "[code].page {\n  display: grid;\n  grid-template-columns: 200px 1fr;\n  gap: 16px;\n}[/code]",
            [(2, "写得很清楚，收藏了 :)")],
            age_days=8,
        ),
        SeedThread(
            22,
            11,
            2,
            "Django 5 新特性速览",
            "Django 5 带来了 [b]字段组[/b] 和更简单的表单渲染。",
            [(4, "db_default 也很实用。")],
            age_days=25,
            digest=2,
        ),
        SeedThread(
            23,
            11,
            5,
            "Flask 蓝图怎么组织大型项目？",
            "项目越来越大，想按模块拆分蓝图，有推荐的目录结构吗？",
            [],
            age_days=18,
        ),
        SeedThread(
            24,
            12,
            3,
            "pandas 2 的 Arrow 后端值得切换吗？",
            "听说 pyarrow 后端省内存，有人实测过吗？",
            [(2, "字符串列省了一半内存，推荐。"), (1, "注意部分老代码的兼容性。")],
            age_days=14,
        ),
        SeedThread(
            28,
            9,
            3,
            "晒图：西湖日落 Sunset at West Lake",
            "周末在西湖边拍的日落，手机直出，没有后期 :)\n[attachimg]1[/attachimg]\n[attach]2[/attach]\nShot "
            "on a phone, no editing.",
            [(5, "颜色真好看！"), (1, "加精了 :victory:")],
            age_days=3,
            digest=1,
        ),
        SeedThread(
            29,
            10,
            5,
            "会员福利：测试笔记与截图 Notes for members",
            "附件里是测试笔记和截图。Notes and a screenshot are attached.\n[attach]3[/attach]\n",
            [(2, "感谢分享")],
            age_days=1,
        ),
        SeedThread(
            30,
            10,
            1,
            "会员专区使用说明 How this board works",
            "本版块只有登录会员可以浏览。Members only.",
            [],
            age_days=40,
        ),
    ]
    chat_subjects = [
        "今天午饭吃什么？",
        "周末有什么好看的电影推荐",
        "大家用什么机械键盘",
        "晒晒你的桌面 Show your desk",
        "早起打卡的人都是怎么做到的",
        "推荐几本好书 Book recommendations",
        "终端配色方案分享",
        "最近在听的歌",
        "养猫还是养狗？",
        "你们的第一门编程语言是什么",
        "雨天适合写代码",
        "分享一个好用的笔记软件",
        "今年的年度目标完成了吗",
        "Anyone here from Shanghai?",
        "推荐一款好用的双肩包",
        "夜猫子报到",
        "咖啡还是茶？Coffee or tea?",
        "第一次来，请多关照",
        "【闲聊】周五了！",
        "Vim 还是 Emacs？",
        "有人玩 Factorio 吗",
    ]
    chat_tids = [*range(15, 22), *range(31, 46)]
    for index, tid in enumerate(chat_tids):
        author = 2 + index % 6
        threads.append(
            SeedThread(
                tid,
                8,
                author,
                chat_subjects[index % len(chat_subjects)] + ("" if index < 21 else " (2)"),
                f"{chat_subjects[index % len(chat_subjects)]} 来聊聊吧 :)",
                [
                    (2 + (index + step) % 6, f"第 {step + 1} 个回复：我觉得挺好的。")
                    for step in range(index % 4)
                ],
                age_days=30 - index,
            )
        )
    checkin = [
        (
            1,
            "【水楼】每日打卡签到楼 Daily check-in thread",
            "每天来这里打个卡吧！签到格式：日期 + 今天的心情。\nCheck in once a day: the date and your mood.",
        )
    ]
    moods = [
        "开心 :)",
        "有点累",
        "今天写了很多代码 :D",
        "下雨了",
        "周末愉快！",
        "Good morning!",
        "加油 :victory:",
    ]
    for position in range(2, 127):
        uid = 2 + position % 6
        checkin.append((uid, "", f"打卡第 {position - 1} 天，今天的心情：{moods[position % len(moods)]}"))
    thread_one = SeedThread(
        1, 8, 1, checkin[0][1], checkin[0][2], [(uid, text) for uid, _, text in checkin[1:]], age_days=120
    )
    threads.append(thread_one)
    big = SeedThread(
        BIG_THREAD_ID,
        8,
        1,
        f"【性能测试】{BIG_THREAD_POSTS} 楼压力测试帖 Stress-test thread",
        "这个帖子有几千层楼，用来测试客户端翻页和跳楼的速度。\nThousands of floors for testing paging speed.",
        [
            (
                1 + n % 7,
                f"#{n + 2} 测试回复 test reply {n + 2} "
                + ("[b]加粗[/b] " if n % 5 == 0 else "")
                + ("[color=Blue]彩色[/color] :)" if n % 7 == 0 else ""),
            )
            for n in range(BIG_THREAD_POSTS - 1)
        ],
        age_days=100,
    )
    threads.append(big)
    return threads


def seed(db: sqlite3.Connection, now: int) -> None:
    """Create the schema and fill it with the demo content, in one transaction."""
    db.executescript(SCHEMA)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO settings(key, value) VALUES (?, ?)",
        [("secret", secrets.token_hex(16)), ("sitename", "DZ 演示社区 Demo Forum"), ("seeded_at", str(now))],
    )
    for uid, account in enumerate(DEMO_ACCOUNTS, start=1):
        groupid, adminid, credits = _MEMBER_FACTS[uid]
        salt = new_salt()
        answer_hash = hash_secret(account.answer, salt) if account.question_id else ""
        email = f"user{uid - 1}@example.com" if uid > 1 else "admin@example.com"
        db.execute(
            "INSERT INTO members(uid, username, email, password_hash, salt, groupid, adminid, question_id,"
            " answer_hash, credits, regdate) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                uid,
                account.username,
                email,
                hash_secret(account.password, salt),
                salt,
                groupid,
                adminid,
                account.question_id,
                answer_hash,
                credits,
                now - 200 * DAY + uid * HOUR,
            ),
        )
    db.executemany(
        "INSERT INTO forums(fid, fup, type, name, description, "
        "displayorder, members_only) VALUES (?,?,?,?,?,?,?)",
        [(fid, fup, kind, name, text, fid, members) for fid, fup, kind, name, text, members in FORUMS],
    )
    names = {uid: account.username for uid, account in enumerate(DEMO_ACCOUNTS, start=1)}
    threads = sorted(_threads(), key=lambda thread: thread.tid)
    post_rows: list[tuple] = []
    thread_rows: list[tuple] = []
    next_pid = max(thread.tid for thread in threads) + 1
    for thread in threads:
        start = now - int(thread.age_days * DAY)
        span = max(int(thread.age_days * DAY) - HOUR, len(thread.replies))
        post_rows.append(
            (thread.tid, thread.tid, 1, thread.author, names[thread.author], start, thread.first, 1, 0)
        )
        last_time, last_name = start, names[thread.author]
        previous = (thread.tid, names[thread.author], start, thread.first)
        for index, (uid, text) in enumerate(thread.replies, start=2):
            when = start + (span * (index - 1)) // (len(thread.replies) + 1)
            if thread.tid == 1 and index % 25 == 1:
                quoted_pid, quoted_name, quoted_time, quoted_text = previous
                text = _web_quote(quoted_pid, 1, quoted_name, full_date(quoted_time), quoted_text[:60]) + text
            status = PHONE_STATUS if uid in _PHONE_POSTERS and not text.startswith("[quote]") else 0
            post_rows.append((next_pid, thread.tid, 0, uid, names[uid], when, text, index, status))
            previous = (next_pid, names[uid], when, text)
            next_pid += 1
            last_time, last_name = when, names[uid]
        thread_rows.append(
            (
                thread.tid,
                thread.fid,
                thread.author,
                names[thread.author],
                thread.subject,
                start,
                last_time,
                last_name,
                3 + len(thread.replies) * 2,
                len(thread.replies),
                thread.displayorder,
                thread.digest,
                thread.highlight,
                thread.closed,
                thread.special,
                1 + len(thread.replies),
            )
        )
    db.executemany(
        "INSERT INTO threads(tid, fid, authorid, author, subject, "
        "dateline, lastpost, lastposter, views, replies,"
        " displayorder, digest, highlight, closed, special, maxposition) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        thread_rows,
    )
    db.executemany(
        "INSERT INTO posts(pid, tid, first, authorid, author, dateline, "
        "message, position, status) VALUES (?,?,?,?,?,?,?,?,?)",
        post_rows,
    )
    _seed_attachments(db, now)
    _seed_poll(db, now)
    _seed_personal(db, now)
    db.execute("COMMIT")


def _notes_zip() -> bytes:
    """The demo's zip attachment, dated fixedly so the same seed always gives the same bytes."""
    buffer = io.BytesIO()
    entry = zipfile.ZipInfo("notes.txt", date_time=(2026, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(entry, "forum-tui demo notes\n测试笔记：这是演示附件。\n")
    return buffer.getvalue()


def _seed_attachments(db: sqlite3.Connection, now: int) -> None:
    files = [
        (
            1,
            28,
            3,
            "sunset.png",
            "西湖日落 sunset",
            "demo/sunset.png",
            1,
            160,
            90,
            gradient_png(160, 90, (250, 170, 60), (90, 40, 110)),
        ),
        (
            2,
            28,
            3,
            "lake.png",
            "湖面 the lake",
            "demo/lake.png",
            1,
            120,
            80,
            gradient_png(120, 80, (120, 180, 230), (20, 60, 120)),
        ),
        (
            3,
            29,
            5,
            "client-notes.zip",
            "测试笔记压缩包 notes (zip)",
            "demo/client-notes.zip",
            0,
            0,
            0,
            _notes_zip(),
        ),
        (
            4,
            29,
            5,
            "screenshot.png",
            "截图 screenshot",
            "demo/screenshot.png",
            1,
            96,
            64,
            gradient_png(96, 64, (40, 40, 40), (80, 200, 120)),
        ),
    ]
    db.executemany(
        "INSERT INTO attachments(aid, tid, pid, uid, dateline, "
        "filename, description, path, isimage, width, height,"
        " data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (aid, tid, tid, uid, now - 3 * DAY, name, text, path, image, w, h, data)
            for aid, tid, uid, name, text, path, image, w, h, data in files
        ],
    )
    db.execute("UPDATE posts SET attachment = 2 WHERE pid IN (28, 29)")
    db.execute("UPDATE threads SET attachment = 2 WHERE tid IN (28, 29)")


def _seed_poll(db: sqlite3.Connection, now: int) -> None:
    db.execute(
        "INSERT INTO polls(tid, multiple, maxchoices, expiration, visible) VALUES (27, 0, 1, ?, 0)",
        (now + 30 * DAY,),
    )
    options = ["Python 3.8 或更早", "Python 3.10", "Python 3.11", "Python 3.12", "Python 3.13+"]
    votes = [0, 1, 3, 1, 0]
    db.executemany(
        "INSERT INTO polloptions(polloptionid, tid, displayorder, polloption, votes) VALUES (?, 27, ?, ?, ?)",
        [
            (index + 1, index, text, count)
            for index, (text, count) in enumerate(zip(options, votes, strict=True))
        ],
    )
    db.executemany(
        "INSERT INTO pollvoters(tid, uid, options, dateline) VALUES (27, ?, ?, ?)",
        [
            (3, "3", now - DAY),
            (4, "3", now - DAY),
            (5, "2", now - DAY),
            (6, "3", now - DAY),
            (7, "4", now - DAY),
        ],
    )


def _seed_personal(db: sqlite3.Connection, now: int) -> None:
    db.executemany(
        "INSERT INTO favorites(uid, id, idtype, title, dateline) VALUES (?, ?, ?, ?, ?)",
        [
            (2, 5, "tid", "Python 3.12 有哪些值得关注的新特性？", now - 2 * DAY),
            (2, 13, "tid", "前端框架选型对比表 Framework comparison", now - DAY),
            (2, 28, "tid", "晒图：西湖日落 Sunset at West Lake", now - HOUR),
        ],
    )
    db.executemany(
        "INSERT INTO pms(from_uid, to_uid, message, dateline, is_new) VALUES (?, ?, ?, ?, ?)",
        [
            (3, 2, "你好，周末的技术分享会你来吗？Coming to the meetup?", now - 2 * DAY, 0),
            (2, 3, "来的，到时候见！See you there.", now - 2 * DAY + HOUR, 0),
            (1, 2, "欢迎加入演示社区，有问题随时私信我。", now - 5 * DAY, 1),
        ],
    )
    reply = db.execute("SELECT MIN(pid) FROM posts WHERE tid = 5 AND authorid = 3 AND first = 0")
    reply_pid = reply.fetchone()[0]  # user2's reply, which the notice is about
    db.execute(
        "INSERT INTO notices(uid, type, is_new, authorid, author, note, dateline, tid, pid, subject)"
        " VALUES (2, 'post', 1, 3, 'user2', ?, ?, 5, ?, 'Python 3.12 有哪些值得关注的新特性？')",
        ("user2 回复了您的帖子 Python 3.12 有哪些值得关注的新特性？", now - DAY, reply_pid),
    )
