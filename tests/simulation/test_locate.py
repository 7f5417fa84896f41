from hostbill_core.simulation.locate import LineIndex

TEXT = '''\
title = "shop"                      # 1
note = """                          # 2
[not.a.table]
key = "inside a string"
"""
"quoted key" = 1                    # 6
a.b.c = 2                           # 7

[settings]                          # 9
lead = { domain = 30, vps = 2 }     # 10

[[clients]]                         # 12
id = "a"

[[clients.services]]                # 15
id = "a-1"

[[clients.services]]                # 18
id = "a-2"

[[clients]]                         # 21
id = "b"

[[clients.services]]                # 24
cycle = "monthly"                   # 25

[[ events ]]                        # 27
items = [                           # 28
  { plan = "x", service = "s1" },   # 29
  { plan = "y", service = "s2" },   # 30
]
after = true                        # 32
'''


def test_lines_of_tables_keys_and_array_elements() -> None:
    index = LineIndex(TEXT)
    assert index.line(("title",)) == 1
    assert index.line(("note",)) == 2
    assert index.line(("not",)) is None  # inside a multi-line string
    assert index.line(("key",)) is None
    assert index.line(("quoted key",)) == 6
    assert index.line(("a", "b", "c")) == 7
    assert index.line(("settings", "lead", "vps")) == 10
    assert index.line(("clients", 0, "services", 1, "id")) == 19
    assert index.line(("clients", 1, "services", 0)) == 24
    assert index.line(("clients", 1, "services", 0, "cycle")) == 25
    assert index.line(("clients", 1, "services", 0, "missing")) == 24  # falls back to the table
    assert index.line(("events", 0, "items", 1, "plan")) == 30
    assert index.line(("events", 0, "items", 0)) == 29
    assert index.line(("events", 0, "after")) == 32


def test_table_at_a_line() -> None:
    index = LineIndex(TEXT)
    assert index.table_at(3) == ()
    assert index.table_at(16) == ("clients", 0, "services", 0)
    assert index.table_at(26) == ("clients", 1, "services", 0)
    assert index.table_at(31) == ("events", 0)
