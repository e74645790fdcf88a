"""Fake ID cards and certificates drawn with Pillow and Noto Sans SC (the font the printable forms
embed), for the demo people's materials, the reading tests and the reading benchmark
(bench/reading_corpus.py photographs them badly). Nothing here is a real person's document."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont
from pylopdf_fonts_zh_cn import sans_path
from stdnum.cn import ric

CARD_SIZE = (1200, 756)  # 85.6 × 54 mm at about 14 px/mm
CERTIFICATE_SIZE = (1400, 1000)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"  # noqa: E501
REGIONS = ("410105", "410102", "530102", "500103", "210102", "110101", "440106", "320102")
AUTHORITIES = ("郑州市公安局金水分局", "昆明市公安局五华分局", "重庆市公安局渝中区分局", "沈阳市公安局和平分局")
ADDRESSES = (
    "河南省郑州市金水区花园路",
    "云南省昆明市五华区人民中路",
    "重庆市渝中区解放碑民族路",
    "辽宁省沈阳市和平区南京北街",
)


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(sans_path()), size)


def random_id_number(rnd: random.Random) -> str:
    first17 = (
        f"{rnd.choice(REGIONS)}{rnd.randrange(1960, 2003)}{rnd.randrange(1, 13):02d}"
        f"{rnd.randrange(1, 29):02d}{rnd.randrange(1000):03d}"
    )
    return first17 + ric.calc_check_digit(first17 + "0")


def random_name(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2, 2))))


@dataclass(frozen=True)
class IdFront:
    name: str
    id_number: str
    address: str = "河南省郑州市金水区花园路"


@dataclass(frozen=True)
class IdBack:
    valid_from: str  # "2015.03.01"
    valid_until: str  # "2035.03.01" or "长期"
    authority: str = "郑州市公安局金水分局"


@dataclass(frozen=True)
class Certificate:
    title: str  # "毕业证书"
    name: str
    number: str


def _card(background: tuple[int, int, int] = (226, 236, 240)) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", CARD_SIZE, background)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, CARD_SIZE[0] - 5, CARD_SIZE[1] - 5), radius=40, outline=(170, 185, 195), width=3)
    return image, draw


def draw_id_front(card: IdFront) -> Image.Image:
    image, draw = _card()
    label, value = (70, 100, 140), (20, 20, 20)
    birth = card.id_number[6:14]
    male = int(card.id_number[16]) % 2 == 1
    draw.text((80, 80), "姓  名", font=font(40), fill=label)
    draw.text((260, 74), card.name, font=font(52), fill=value)
    draw.text((80, 170), "性  别", font=font(40), fill=label)
    draw.text((260, 168), "男" if male else "女", font=font(44), fill=value)
    draw.text((420, 170), "民  族", font=font(40), fill=label)
    draw.text((580, 168), "汉", font=font(44), fill=value)
    draw.text((80, 255), "出  生", font=font(40), fill=label)
    draw.text((260, 253), f"{birth[:4]} 年 {int(birth[4:6])} 月 {int(birth[6:])} 日", font=font(44), fill=value)
    draw.text((80, 340), "住  址", font=font(40), fill=label)
    draw.text((260, 338), card.address, font=font(40), fill=value)
    draw.text((260, 395), f"{int(card.id_number[14:17]) % 90 + 1}号", font=font(40), fill=value)
    draw.text((80, 600), "公民身份号码", font=font(40), fill=label)
    draw.text((400, 596), card.id_number, font=font(50), fill=value)
    draw.rectangle((850, 90, 1110, 420), fill=(200, 210, 218))  # where the portrait is
    draw.ellipse((920, 140, 1040, 280), fill=(150, 160, 170))
    draw.ellipse((880, 290, 1080, 460), fill=(150, 160, 170))
    return image


def draw_id_back(card: IdBack) -> Image.Image:
    image, draw = _card()
    draw.ellipse((70, 60, 230, 220), outline=(200, 60, 60), width=8)  # where the national emblem is
    draw.text((330, 90), "中华人民共和国", font=font(70), fill=(30, 30, 30))
    draw.text((330, 200), "居民身份证", font=font(90), fill=(30, 30, 30))
    draw.text((200, 520), "签发机关", font=font(40), fill=(70, 100, 140))
    draw.text((420, 516), card.authority, font=font(44), fill=(20, 20, 20))
    draw.text((200, 610), "有效期限", font=font(40), fill=(70, 100, 140))
    draw.text((420, 606), f"{card.valid_from}-{card.valid_until}", font=font(44), fill=(20, 20, 20))
    return image


def draw_certificate(certificate: Certificate) -> Image.Image:
    image = Image.new("RGB", CERTIFICATE_SIZE, (250, 246, 235))
    draw = ImageDraw.Draw(image)
    w, h = CERTIFICATE_SIZE
    draw.rectangle((30, 30, w - 30, h - 30), outline=(160, 40, 40), width=12)
    draw.text((w // 2, 130), certificate.title, font=font(90), fill=(160, 30, 30), anchor="mm")
    draw.rectangle((100, 250, 340, 570), fill=(210, 214, 220))
    body = (
        f"学生 {certificate.name}，性别 男，于二〇〇六年九月至",
        "二〇一〇年七月在本校会计学专业四年制本科学习，",
        "修完教学计划规定的全部课程，成绩合格，准予毕业。",
    )
    for i, line in enumerate(body):
        draw.text((400, 270 + i * 70), line, font=font(40), fill=(30, 30, 30))
    draw.text((400, 620), "校长：某某某", font=font(40), fill=(30, 30, 30))
    draw.text((100, 800), f"证书编号：{certificate.number}", font=font(42), fill=(30, 30, 30))
    draw.text((880, 800), "二〇一〇年七月一日", font=font(40), fill=(30, 30, 30))
    return image


def jpeg(image: Image.Image, quality: int = 92) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()
