"""Stable codes the program's logic refers to by name.

The full tables with their Chinese names live in `resources/codes/*.json`; these constants
only name the codes that figures and checks single out.
"""

from resources import code_table

HAN = "01"  # 汉族: every other ethnicity code counts as 少数民族
MALE, FEMALE = "1", "2"

VILLAGE, COMMUNITY = "1", "2"  # village_kind

COMMITTEE, GENERAL_BRANCH, BRANCH = "1", "2", "3"  # org_kind: 党委, 党总支, 党支部
FIELD_RURAL, FIELD_COMMUNITY = "11", "12"  # org_field of village organizations
UNIT_GROUP, UNIT_GRID = "1", "2"  # org_unit: 村民小组党支部, 网格党支部

ADVANCED, AVERAGE, BACKWARD = "1", "2", "3"  # rating
DEMONSTRATION, STANDARD = "1", "2"  # creation

PARTY_MEMBER, PROBATIONARY_MEMBER, MASSES = "01", "02", "13"  # political_status

# posts
VILLAGE_SECRETARY = "11"
VILLAGE_DEPUTY_SECRETARY = "12"
VILLAGE_PARTY_COMMITTEE_MEMBER = "13"
VILLAGE_DIRECTOR = "21"
VILLAGE_DEPUTY_DIRECTOR = "22"
VILLAGE_COMMITTEE_MEMBER = "23"
SUPERVISION_DIRECTOR = "31"
SUPERVISION_MEMBER = "32"
FIRST_SECRETARY = "41"
TEAM_LEADER = "42"
TEAM_MEMBER = "43"
ORG_SECRETARY = "51"
ORG_DEPUTY_SECRETARY = "52"
ORG_COMMITTEE_MEMBER = "53"
RESERVE_CADRE = "61"
GRID_WORKER = "62"
GROUP_LEADER = "63"

SECRETARY_POSTS = (VILLAGE_SECRETARY, ORG_SECRETARY)
RESIDENT_POSTS = (FIRST_SECRETARY, TEAM_LEADER, TEAM_MEMBER)

ENROLLED, GRADUATED, WITHDRAWN = "1", "2", "3"  # enrollment_status
OPERATING = "3"  # project_status 已建成运营
STOPPED = "4"  # project_status 停运


def college_codes() -> frozenset[str]:
    """Education codes counted as 大专及以上."""
    return code_table("education").where("college")


def party_status_codes() -> frozenset[str]:
    """Political statuses of party members (正式 and 预备)."""
    return code_table("political_status").where("party")


def party_posts() -> frozenset[str]:
    """Posts that only a party member may hold."""
    return code_table("post").where("party")
