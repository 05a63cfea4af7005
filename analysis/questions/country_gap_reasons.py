"""Why each country's rate differs from the tradewartracker's (issue 16, validation by country).

Each reason was traced line by line against the tracker's own engine where it says so: its
notebook's code cells run on its 2024 weights, beside ``tariff-reports rates --date D
--partner P --json`` (docs/validation_by_country.md gives the figures and the legal texts).
Figures are the differences in a country's rate, per HS chapter or group of lines, ours less
the tracker's, each side on its own weights.
"""

from __future__ import annotations

import datetime as dt

_AUG_7_2025 = dt.date(2025, 8, 7)  # the Japan and EU deals' floors, EO 14323 on Brazil (6 Aug)
_LAST_IEEPA_DAY = dt.date(2026, 2, 23)  # the last day of the IEEPA tariffs and deal floors
_S301_2026 = dt.date(2026, 7, 24)  # the 2026 Section 301 action, caps net of MFN
_FLOORS = "floors net of MFN: we top each line up to 15% from its 2024 applied rate, the "
_FLOORS_TRACKER = "tracker takes MFN as 0"
#: The 2026 action's cap for the country ({cap}: :func:`cap_2026_rate`, from params/measures).
_CAP_2026 = (
    "the 2026 Section 301 cap, a total duty of max(MFN, {cap}) on each line, which ours tops "
    "up from each line's 2024 applied rate; not traced line by line."
)
#: A reason traced line by line says so, with the days traced: "traced line by line (D)".
TRACED = "traced line by line ("
#: Why each country's rate differs from the tradewartracker's: (first day, last day, reason)
#: for the days each reason holds (traced with ``tariff-reports rates --date D --partner P
#: --json``; docs/validation_by_country.md). A day outside every span is "not traced".
GAP_REASONS: dict[str, tuple[tuple[dt.date, dt.date, str], ...]] = {
    "JPN": (
        (
            _AUG_7_2025,
            _LAST_IEEPA_DAY,
            "traced line by line (2025-10-01, 2026-01-15): the Japan deal's 15% is all-in, MFN "
            "included, on cars and on the other goods; the tracker adds 15% to an MFN it takes "
            "as 0 (cars and parts -0.7 point); it charges 50% on the full value of steel and "
            "aluminium derivatives outside ch. 72, 73 and 76 where ours taxes their metal "
            "content (-0.4), its rate on ch. 98 and 99 entries (-0.6) and on civil aircraft and "
            "parts, exempt for Japan from 16 Sep 2025 (heading 9903.96.02; -0.4), and until "
            "13 Nov 2025 Annex II goods it matches only on codes ending in 00 (-0.8); its steel "
            "and aluminium lists in ch. 72, 73 and 76 are narrower than the proclamations' "
            "(+0.6).",
        ),
        (
            _LAST_IEEPA_DAY + dt.timedelta(days=1),
            _S301_2026 - dt.timedelta(days=1),
            "traced line by line (2026-03-05): the Section 232 car rate is 15% all-in (the "
            "tracker adds 15% to MFN taken as 0: -0.7 point); the tracker charges its rate on "
            "ch. 98 and 99 entries (-0.4) and section 122 on civil aircraft, which the "
            "proclamation exempts (-0.3); its steel and aluminium lists in ch. 72, 73 and 76 "
            "are narrower than the proclamations' (+0.7). The derivatives outside those "
            "chapters weigh alike: 0.9 point of its figure at 50% on full value, 0.9 of ours "
            "on their metal content.",
        ),
        (
            _S301_2026,
            dt.date.max,
            "traced line by line (2026-11-28): cars pay the Section 232 deal rate all-in, which "
            "the tracker adds to MFN taken as 0 (-0.7 point); the tracker charges ch. 98 and 99 "
            "entries (-0.5) and 25% on excavators and forklifts (8429.52, 8427.20, -0.3) that "
            "Annex I-C of Proclamation 11032 brings to the framework partners' all-in rate from "
            "8 Jun 2026, after its version; ours tops the 2026 Section 301 cap, a total of "
            "max(MFN, {cap}), up from each line's 2024 applied rate.",
        ),
    ),
    "KOR": (
        (
            _AUG_7_2025,
            dt.date(2025, 10, 31),
            "traced line by line (2025-10-01): ch. 87 carries +3.4 points. In law Korea's cars "
            "and parts paid 25% until the deal's 15% all-in took effect for entries from 1 Nov "
            "2025 (90 FR 55964); the tracker applies 15% from 7 Aug 2025. The rest nets out: "
            "the proclamations' steel and aluminium articles and ch. 73 and 76 derivatives pay "
            "50% in ours, where the tracker's lists are narrower (+1.2), the tracker taxes "
            "Annex II goods it matches only on codes ending in 00 (ch. 27 and 30, -0.6) and the "
            "full value of steel derivatives in ch. 84 (-0.2; ours their metal content).",
        ),
        (dt.date(2025, 11, 1), _LAST_IEEPA_DAY, f"the Korea deal's {_FLOORS}{_FLOORS_TRACKER}."),
        (_S301_2026, dt.date.max, _CAP_2026),
    ),
    "IND": (
        (
            dt.date(2025, 4, 5),
            dt.date(2025, 8, 6),
            "we exempt Annex II goods (pharmaceuticals of ch. 30, $12.5 bn of India's $86.3 bn "
            "of 2024 imports, among them) from the 10% baseline; the tracker's figure is close "
            "to the 10% headline.",
        ),
        (
            _AUG_7_2025,
            dt.date(2025, 8, 26),
            "traced line by line (2025-08-07): the tracker charges India's second 25% (EO "
            "14329, Russian oil) from 7 Aug 2025; in law it applies to goods entered from "
            "27 Aug 2025 (HTSUS heading 9903.01.84). With it, the rest is as from 27 Aug.",
        ),
        (
            dt.date(2025, 8, 27),
            dt.date(2025, 11, 13),
            "traced line by line (2025-10-01): Annex II goods are exempt from both 25% duties "
            "(HTSUS note 2(z)(ii), heading 9903.01.86); the tracker matches Annex II's "
            "subheadings only to codes ending in 00, so it charges 50% on pharmaceuticals "
            "(ch. 30, -6.9 points), refined oil (ch. 27, -1.6) and organic chemicals (ch. 29, "
            "-0.7); and its rate on ch. 98 and 99 entries (-0.8).",
        ),
    ),
    "CHE": (
        (
            dt.date(2025, 4, 5),
            dt.date(2025, 8, 6),
            "traced line by line (2025-05-20): the tracker charges the 10% on Annex II "
            "pharmaceuticals it matches only on codes ending in 00 (ch. 30, -3.2 points) and on "
            "ch. 98 and 99 entries (-0.6); gold bars (7115.90.05, ch. 71, -2.3) are exempt in "
            "ours from 5 Apr 2025, though EO 14346 may have put them in Annex II only from "
            "8 Sep 2025 (not settled).",
        ),
        (
            dt.date(2025, 8, 7),
            dt.date(2025, 11, 13),
            "traced line by line (2025-10-01): the tracker charges the 39% headline on Annex II "
            "pharmaceuticals it matches only on codes ending in 00 (ch. 30, -12.3 points), on "
            "gold bars (ch. 71, -9.1; in Annex II from 8 Sep 2025 at the latest, EO 14346) and "
            "on ch. 98 and 99 entries (-2.2).",
        ),
        (
            dt.date(2025, 11, 14),
            _LAST_IEEPA_DAY,
            f"the Switzerland deal's {_FLOORS}{_FLOORS_TRACKER}.",
        ),
        (
            _S301_2026,
            dt.date.max,
            "traced line by line (2026-11-28): ours charges the 2026 Section 301 duty on gold "
            "bars and unwrought gold (7115.90.05, 7108.12.10: +2.9 points), which the tracker "
            "exempts; whether the action's exemption list (U.S. note 52(b)) names bullion is "
            "not settled (the list is not in the store); the tracker charges ch. 98 and 99 "
            "entries (-0.7).",
        ),
    ),
    "BRA": (
        (
            dt.date(2025, 8, 6),
            dt.date(2025, 11, 12),
            "EO 14323's 40% with its Annex I exemptions line by line (not traced further).",
        ),
        (
            dt.date(2025, 11, 13),
            _LAST_IEEPA_DAY,
            "traced line by line (2026-01-15): the tracker charges 50% on ch. 98 entries (US "
            "goods returned, -2.9 points), and zeroes both civil aircraft, which EO 14323 "
            "exempts from its 40% only (+0.5), and the 40% on the Annex II goods it matches "
            "(+0.8; EO 14323 has its own exemptions); ch. 72, 73 and 76 carry +0.7 (pig iron "
            "and ferro-alloys, outside the Section 232 proclamations' steel lists, pay the 10% "
            "there).",
        ),
        (
            _LAST_IEEPA_DAY + dt.timedelta(days=1),
            _S301_2026 - dt.timedelta(days=1),
            "traced line by line (2026-03-05): ch. 72, 73 and 76 carry +3.3 points, about 1.7 "
            "of them semi-finished steel (7207.12, a steel article in law, 50% in ours), which "
            "the tracker's HS8 steel list misses (10%); the tracker charges section 122 on "
            "civil aircraft, which the proclamation exempts (-0.5), and on ch. 98 entries "
            "(-0.6).",
        ),
    ),
    "DEU": (
        (
            _AUG_7_2025,
            dt.date(2025, 11, 13),
            "compared with the tracker's EU aggregate; traced line by line (2025-10-01): the "
            "tracker charges 15% on Annex II goods it matches only on codes ending in 00 "
            "(pharmaceuticals of ch. 29 and 30 above all, -3.3 points), on ch. 98 and 99 "
            "entries (-0.9) and on EU civil aircraft (exempt from 1 Sep 2025, -0.7); cars "
            "weigh more in Germany's imports than in the EU's (+1.3).",
        ),
        (
            dt.date(2025, 11, 14),
            _S301_2026 - dt.timedelta(days=1),
            f"compared with the tracker's EU aggregate; the EU deal's {_FLOORS}{_FLOORS_TRACKER}.",
        ),
        (
            _S301_2026,
            dt.date.max,
            "compared with the tracker's EU aggregate; traced line by line (2026-11-28): cars "
            "weigh more in Germany's imports than in the EU's (+1.3 points, though the "
            "tracker adds the car deal's rate to MFN taken as 0), the tracker charges ch. 98 "
            "and 99 entries (-0.6); and " + _CAP_2026,
        ),
    ),
    "MEX": (
        (
            dt.date(2025, 3, 7),
            _LAST_IEEPA_DAY,
            "traced line by line (2025-05-20): the tracker charges 15% on every car and on its "
            "HS6 auto-parts mask (ch. 87 and 85, e.g. wiring sets 8544.30, -2.0 points) where "
            "in law USMCA parts are exempt and cars pay on their non-US content, and a flat "
            "4.5% (25% on a fixed 18%) on goods that claim USMCA almost wholly (beer, fruit, "
            "vegetables); ours exempts USMCA goods by each line's claims (about 87%).",
        ),
    ),
    "CHN": (
        (
            dt.date(2025, 3, 4),
            _LAST_IEEPA_DAY,
            "traced line by line (2025-05-20, 2025-10-01): the fentanyl duty stacks on China's "
            "Section 232 goods in law (EO 14289 leaves it out of its no-stacking rules) where "
            "the tracker's Section 232 rate replaces it (ch. 85, 87, 73: +1.5 to +2.2); the "
            "tracker charges its rate on ch. 98 and 99 "
            "entries (2.7% of its weights, -0.8) and on Annex II lines it matches only on "
            "codes ending in 00.",
        ),
        (
            _LAST_IEEPA_DAY + dt.timedelta(days=1),
            _S301_2026 - dt.timedelta(days=1),
            "traced line by line (2026-03-05): the tracker charges 50% on the full value of "
            "the steel and aluminium derivatives (exercise equipment 9506.91, air-conditioner "
            "parts 8415.90, ...: 1.5 points of its figure, 0.5 of ours, on their metal "
            "content) and its rate on ch. 98 and 99 entries (-0.3); ours taxes more of ch. 73 "
            "(+0.5).",
        ),
        (
            _S301_2026,
            dt.date.max,
            "the 2026 Section 301 action's exemptions and China's tier differ in detail "
            "(not traced line by line).",
        ),
    ),
    "CAN": (
        (
            dt.date(2025, 3, 7),
            _LAST_IEEPA_DAY,
            "traced line by line (2025-05-20, 2025-10-01): the tracker charges a flat 8.75% "
            "(12.25% from 7 Aug 2025: 35% on a fixed 35%) on goods that claim USMCA almost "
            "wholly, energy included (ch. 27, -0.7 and -1.1 points), 15% on every car and its "
            "auto-parts mask (-0.7), its rate on ch. 98 entries (-0.35 and -0.6) and 50% on "
            "the full value of steel and aluminium derivatives outside ch. 72, 73 and 76 (0.4 "
            "and 0.6 points of its figure; 0.0 and 0.3 of ours, on their metal content); ours "
            "exempts USMCA goods by each line's claims, and its ch. 72, 73 and 76 lists are "
            "wider than the tracker's (unwrought aluminium 7601: +0.6 and +1.8).",
        ),
        (
            dt.date(2026, 8, 22),
            dt.date.max,
            "the tracker's version of 23 Jul 2026 includes the three Section 338 actions of "
            "July 2026 (dated 19 Aug there, 22 Aug here), not their widening of 15 Sep or the "
            "dairy ban of 29 Sep 2026, nor Section 232 on drones (3 Sep 2026); not traced "
            "further.",
        ),
    ),
    "VNM": (),
    "TWN": (
        (
            _S301_2026,
            dt.date.max,
            "traced line by line (2026-11-28): the tracker charges ch. 98 and 99 entries "
            "(-0.2 point); the rest agrees within 0.05 point, the 2026 Section 301 action's "
            "electronics list exempting its lines wholly in both.",
        ),
    ),
}
