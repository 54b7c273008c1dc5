"""The built-in regions pass the same conformance kit as any third-party region."""

from __future__ import annotations

from yibao.testing import RegionContract


class TestShenzhen(RegionContract):
    region = "shenzhen"


class TestJiangxi(RegionContract):
    region = "jiangxi"


class TestZhejiang(RegionContract):
    region = "zhejiang"


class TestNanchang(RegionContract):
    region = "nanchang"


class TestHangzhou(RegionContract):
    region = "hangzhou"


class TestGuangdong(RegionContract):
    region = "guangdong"


class TestGuangzhou(RegionContract):
    region = "guangzhou"
