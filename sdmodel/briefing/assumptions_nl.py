"""Dutch wording of the assumptions the briefing lists (``asielketen briefing``, default nl).

The .mdl comments and the measures' notes are in English, the single source of the reasons;
this table gives each reason in Dutch, keyed by its English text. A reason that is edited in
the model no longer matches its key and is shown in English until it is translated here
(``tests/briefing/test_briefing_reliability.py`` checks that nearly all are translated).
"""

from __future__ import annotations

REASONS_NL: dict[str, str] = {
    ('nearly all rejections can be appealed and legal aid is free, but an appeal does '
     'not always suspend departure (Vreemdelingenwet 2000 art. 82: not in the '
     'accelerated procedure, e.g. safe countries and Dublin claims, without a '
     'provisional measure), so fewer appellants than appeals stay in COA; no national '
     "share is published; calibrated. The courts' workload counts only these appeals."):
        ('vrijwel elke afwijzing is vatbaar voor beroep en rechtsbijstand is gratis, maar '
         'beroep schort het vertrek niet altijd op (Vreemdelingenwet 2000 art. 82: niet in '
         'de versnelde procedure, zoals bij veilige landen en Dublinclaims, zonder '
         'voorlopige voorziening), dus blijven er minder beroepsgevers dan beroepen in het '
         'COA; er is geen landelijk aandeel gepubliceerd; gekalibreerd. De werklast van de '
         'rechtspraak telt alleen deze beroepen.'),
    'most appeal, the stakes are high; not published.':
        'de meesten gaan in beroep, er staat veel op het spel; niet gepubliceerd.',
    'share of asylum appeals that end in a permit; not published in the data.':
        ('aandeel van de asielberoepen dat eindigt in een vergunning; niet gepubliceerd in '
         'de gegevens.'),
    ('not published (the IND also handles regular migration, naturalisation and '
     'support); only the ratio to the hours per decision is identified by the decisions '
     'data, so this is fixed and the hours are calibrated.'):
        ('niet gepubliceerd (de IND behandelt ook reguliere migratie, naturalisatie en '
         'ondersteuning); alleen de verhouding tot de uren per beslissing volgt uit de '
         'beslisgegevens, dus dit ligt vast en de uren zijn gekalibreerd.'),
    'average time a decision maker stays; not published.':
        'gemiddelde tijd dat een beslismedewerker blijft; niet gepubliceerd.',
    ('average time undocumented people stay in the Netherlands before leaving unnoticed; '
     'not published; calibrated against the WODC range (observations.csv '
     'undocumented_population).'):
        ('gemiddelde verblijfsduur van ongedocumenteerden in Nederland voordat zij '
         'onopgemerkt vertrekken; niet gepubliceerd; gekalibreerd op de WODC-bandbreedte '
         '(observations.csv undocumented_population).'),
    ('the integration (inburgering) term of 3 years under the Wet inburgering 2021, '
     'counted from housing; actual completion times are not in the data.'):
        ('de inburgeringstermijn van 3 jaar onder de Wet inburgering 2021, gerekend vanaf '
         'huisvesting; werkelijke doorlooptijden staan niet in de gegevens.'),
    ('a new location takes one to two years (permits, building or conversion); not '
     'published.'):
        ('een nieuwe locatie kost een tot twee jaar (vergunningen, bouw of verbouw); niet '
         'gepubliceerd.'),
    ('the procedure is for nationalities with an EU-wide recognition rate of at most 20% '
     '(Asylum Procedure Regulation (EU) 2024/1348); the Dutch rate is not in the data.'):
        ('de procedure geldt voor nationaliteiten met een EU-breed inwilligingspercentage '
         'van hoogstens 20% (Asielprocedureverordening (EU) 2024/1348); het Nederlandse '
         'percentage staat niet in de gegevens.'),
    ('the Dutch adequate capacity under Commission Implementing Decision (EU) 2024/2150 '
     "(timeline.csv 2024-08-05) is not in the data; parameters.csv has only Italy's "
     '(border_procedure_max_applications_italy).'):
        ('de Nederlandse adequate capaciteit onder Uitvoeringsbesluit (EU) 2024/2150 van de '
         'Commissie (timeline.csv 2024-08-05) staat niet in de gegevens; parameters.csv '
         'heeft alleen die van Italië (border_procedure_max_applications_italy).'),
    'on average two months; not published.':
        'gemiddeld twee maanden; niet gepubliceerd.',
    ('time to close surplus places; in 2017-2018 capacity went from 48,700 to 31,000 in '
     'about a year (observations.csv coa_capacity).'):
        ('tijd om overtollige plaatsen te sluiten; in 2017-2018 daalde de capaciteit in '
         'ongeveer een jaar van 48.700 naar 31.000 (observations.csv coa_capacity).'),
    'time to decide on new regular locations once the need is planned; not published.':
        ('tijd om te besluiten over nieuwe reguliere locaties zodra de behoefte is gepland; '
         'niet gepubliceerd.'),
    ('2% a year after 2025 (the ECB target), 2014 held from January. Time in months '
     'since 2014-01-01.'):
        ('2% per jaar na 2025 (de ECB-doelstelling), 2014 vastgehouden vanaf januari. Tijd '
         'in maanden sinds 2014-01-01.'),
    'criminalisation may push people into a shadow society (VNG); no figure.':
        'strafbaarstelling kan mensen in een schaduwsamenleving duwen (VNG); geen cijfer.',
    'raised by the VNG; no figure.':
        'genoemd door de VNG; geen cijfer.',
    'cost of the judiciary per asylum appeal decided, 2025 prices; not in the data.':
        ('kosten van de rechtspraak per afgedaan asielberoep, prijzen 2025; niet in de '
         'gegevens.'),
    'taken as 2025 prices.':
        'aangenomen als prijzen van 2025.',
    'an excess caseload is planned away over about a year; not published.':
        ('een te grote werkvoorraad wordt in ongeveer een jaar weggewerkt; niet '
         'gepubliceerd.'),
    ("the judiciary's budget follows the forecast caseload (price times volume) about a "
     'year late; not published.'):
        ('het budget van de rechtspraak volgt de verwachte instroom (prijs maal volume) met '
         'ongeveer een jaar vertraging; niet gepubliceerd.'),
    'calibrated against the pending and decided appeals where figures exist.':
        'gekalibreerd op de aanhangige en afgedane beroepen waar cijfers zijn.',
    ('the courts plan to keep the asylum caseload at about four months of intake; not '
     'published.'):
        ('de rechtspraak plant de asielvoorraad op ongeveer vier maanden instroom te houden; '
         'niet gepubliceerd.'),
    ('the IND found that deciding became more complex (longer interviews, more care '
     'required; '
     'https://ind.nl/nl/nieuws/ind-onderzoek-beslissen-op-asielaanvraag-is-complexer-geworden, '
     "Feb 2024; 'doordat de zaken complexer worden', "
     'https://www.telegraaf.nl/nieuws/1121615700/ind-loopt-tegen-grenzen-aan), with no '
     'figure; a constant growth, calibrated against the decisions and the pending stock, '
     'held after 2025.'):
        ('de IND stelde vast dat beslissen complexer werd (langere gehoren, meer '
         'zorgvuldigheid nodig; '
         'https://ind.nl/nl/nieuws/ind-onderzoek-beslissen-op-asielaanvraag-is-complexer-geworden, '
         "feb. 2024; 'doordat de zaken complexer worden', "
         'https://www.telegraaf.nl/nieuws/1121615700/ind-loopt-tegen-grenzen-aan), zonder '
         'cijfer; een constante groei, gekalibreerd op de beslissingen en de voorraad, '
         'vastgehouden na 2025.'),
    ('the 4-week departure term plus DT&V handling in a COA or freedom-restricting '
     'location; not published.'):
        ('de vertrektermijn van 4 weken plus de behandeling door DT&V in een COA- of '
         'vrijheidsbeperkende locatie; niet gepubliceerd.'),
    ('from days (a crisis location in Leeuwarden opened and was full the next day, Oct '
     '2023) to months (pavilions within 2 months, a 4-week lead time asked of '
     'municipalities in 2024; parameters.csv crisis_location_fill_time_example, '
     'pavilion_places_lead_time, emergency_places_request_lead_time); calibrated against '
     'the application-centre overflow of 2022-2026 (observations.csv ter_apel_occupancy) '
     'and emergency occupancy.'):
        ('van dagen (een crisislocatie in Leeuwarden ging open en was de volgende dag vol, '
         'okt. 2023) tot maanden (paviljoens binnen 2 maanden, een aanlooptijd van 4 weken '
         'gevraagd aan gemeenten in 2024; parameters.csv crisis_location_fill_time_example, '
         'pavilion_places_lead_time, emergency_places_request_lead_time); gekalibreerd op de '
         'overloop van het aanmeldcentrum in 2022-2026 (observations.csv ter_apel_occupancy) '
         'en de noodopvangbezetting.'),
    ('contracts of new temporary locations ran 4 weeks to 6 months in 2021 '
     '(parameters.csv temporary_location_duration, '
     'https://www.nu.nl/binnenland/6165513/coa-heeft-extra-plekken-voor-asielzoekers-maar-verminderde-druk-is-tijdelijk.html) '  # noqa: E501 (a URL)
     'and 15% of the places created in Aug-Dec 2021 had closed again by early 2022 '
     '(emergency_places_closed_share_within_4_months, AIDA), about 6% a month; '
     'calibrated against Ter Apel and emergency occupancy.'):
        ('contracten van nieuwe tijdelijke locaties liepen in 2021 4 weken tot 6 maanden '
         '(parameters.csv temporary_location_duration, '
         'https://www.nu.nl/binnenland/6165513/coa-heeft-extra-plekken-voor-asielzoekers-maar-verminderde-druk-is-tijdelijk.html) '  # noqa: E501 (a URL)
         'en 15% van de in aug.-dec. 2021 gecreëerde plaatsen was begin 2022 weer dicht '
         '(emergency_places_closed_share_within_4_months, AIDA), ongeveer 6% per maand; '
         'gekalibreerd op Ter Apel en de noodopvangbezetting.'),
    'emergency contracts (hotels, ships, event halls) run for months; not published.':
        ('noodopvangcontracten (hotels, schepen, evenementenhallen) lopen maanden; niet '
         'gepubliceerd.'),
    ('the 2025-2026 rate (decision moratoria for Syria, IND changes from Jul 2024; '
     'observations.csv ind_grant_rate 2025 note) moves to the long-term rate over about '
     'a year; not published.'):
        ('het percentage van 2025-2026 (besluitmoratoria voor Syrië, IND-wijzigingen vanaf '
         'jul. 2024; observations.csv ind_grant_rate, noot bij 2025) gaat in ongeveer een '
         'jaar naar het langjarige percentage; niet gepubliceerd.'),
    ('linear interpolation across the years without a figure (2018, 2020-2021). Time in '
     'months since 2014-01-01.'):
        ('lineaire interpolatie over de jaren zonder cijfer (2018, 2020-2021). Tijd in '
         'maanden sinds 2014-01-01.'),
    'the midpoint for every kind of appeal.':
        'het midden voor elk soort beroep.',
    ('not published; calibrated against the decisions and the pending stock with the '
     'staff above.'):
        ('niet gepubliceerd; gekalibreerd op de beslissingen en de voorraad met de bezetting '
         'hierboven.'),
    ('the Jan 2026 coalition agreement leaves it to the municipalities (timeline.csv '
     'huisvestingswet 2026-01-30); in Jun 2025 two thirds of municipalities offered too '
     'few or no reception places under a legal duty '
     '(https://www.welingelichtekringen.nl/politiek/gemeenten-missen-deadline-spreidingswet-tienduizenden-plekken-tekort), '  # noqa: E501 (a URL)
     'so effort without a duty can be low; range from half-hearted to unchanged.'):
        ('het coalitieakkoord van jan. 2026 laat het aan de gemeenten (timeline.csv '
         'huisvestingswet 2026-01-30); in jun. 2025 boden twee op de drie gemeenten te '
         'weinig of geen opvangplaatsen onder een wettelijke plicht '
         '(https://www.welingelichtekringen.nl/politiek/gemeenten-missen-deadline-spreidingswet-tienduizenden-plekken-tekort), '  # noqa: E501 (a URL)
         'dus de inzet zonder plicht kan laag zijn; bereik van halfslachtig tot ongewijzigd.'),
    ('the target adds the backlog beyond the norm spread over about a year; not '
     'published.'):
        ('de taakstelling telt de achterstand boven de norm erbij op, gespreid over ongeveer '
         'een jaar; niet gepubliceerd.'),
    'a half-year smoothing of the new status holders.':
        'een afvlakking over een half jaar van de nieuwe statushouders.',
    'the budgets of 2025-2030 will be topped up the same way.':
        'de budgetten van 2025-2030 worden op dezelfde manier aangevuld.',
    'time to recruit staff once funded; not published.':
        'tijd om personeel te werven zodra het gefinancierd is; niet gepubliceerd.',
    ('linear between the years without a figure (2018, 2023, 2024); 2014 held from '
     'January; after 2030 the 2030 budget. Time in months since 2014-01-01.'):
        ('lineair tussen de jaren zonder cijfer (2018, 2023, 2024); 2014 vastgehouden vanaf '
         'januari; na 2030 het budget van 2030. Tijd in maanden sinds 2014-01-01.'),
    'whether the budget covers it is not known.':
        'of het budget dit dekt, is niet bekend.',
    ('staff above the budget leave within about a year (temporary and external contracts '
     'end); not published.'):
        ('personeel boven het budget vertrekt binnen ongeveer een jaar (tijdelijke en '
         'externe contracten lopen af); niet gepubliceerd.'),
    ('the government told the Senate the effect cannot be quantified; default zero, the '
     'range only for sensitivity and break-even analysis. Policy input, set by measures.'):
        ('de regering schreef de Eerste Kamer dat het effect niet te kwantificeren is; '
         'standaard nul, het bereik alleen voor gevoeligheids- en omslagpuntanalyse. '
         'Beleidsinvoer, gezet door maatregelen.'),
    ('appeal backlog on 1 Jan 2014 is not in the data; court figures are scarce '
     '(observations.csv court_asylum_appeals starts in 2015).'):
        ('de beroepsvoorraad op 1 jan. 2014 staat niet in de gegevens; cijfers van de '
         'rechtspraak zijn schaars (observations.csv court_asylum_appeals begint in 2015).'),
    ('the registration queue on 1 Jan 2014 is not in the data; low inflow in late 2013 '
     '(observations.csv asylum_first_applications 2013) suggests a small number.'):
        ('de registratiewachtrij op 1 jan. 2014 staat niet in de gegevens; de lage instroom '
         'eind 2013 (observations.csv asylum_first_applications 2013) wijst op een klein '
         'aantal.'),
    'not in the data for 2014; a few days of registrations.':
        'niet in de gegevens voor 2014; een paar dagen registraties.',
    ('asylum appeal decisions per month in 2014, about the appeals of the 2014 '
     'rejections (observations.csv ind_first_instance_decisions 2014 x (1 - '
     'ind_grant_rate 2014-2016) x 0.7 / 12 = 460) plus backlog work; court figures start '
     'in 2015 (court_asylum_appeals).'):
        ('asielberoepen afgedaan per maand in 2014, ongeveer de beroepen tegen de '
         'afwijzingen van 2014 (observations.csv ind_first_instance_decisions 2014 x (1 - '
         'ind_grant_rate 2014-2016) x 0,7 / 12 = 460) plus werk aan de voorraad; cijfers van '
         'de rechtspraak beginnen in 2015 (court_asylum_appeals).'),
    ('about the yearly grants of 2009-2013 (decisions of 12,000-17,500 a year at a grant '
     'rate of about 45%, observations.csv ind_first_instance_decisions and '
     'ind_grant_rate 2009-2010) plus nareis, over a 5-year permit.'):
        ('ongeveer de jaarlijkse inwilligingen van 2009-2013 (12.000-17.500 beslissingen per '
         'jaar bij een inwilligingspercentage van ongeveer 45%, observations.csv '
         'ind_first_instance_decisions en ind_grant_rate 2009-2010) plus nareis, over een '
         'vergunning van 5 jaar.'),
    ('pending stock on 1 Jan 2014 is not in the data; about half a year of the 2013 '
     'decisions (12,215, observations.csv ind_first_instance_decisions 2013, Eurostat).'):
        ('de voorraad op 1 jan. 2014 staat niet in de gegevens; ongeveer een half jaar van '
         'de beslissingen van 2013 (12.215, observations.csv ind_first_instance_decisions '
         '2013, Eurostat).'),
    ('about two months of subsequent applications (observations.csv '
     'asylum_subsequent_applications).'):
        ('ongeveer twee maanden opvolgende aanvragen (observations.csv '
         'asylum_subsequent_applications).'),
    'not in the data.':
        'niet in de gegevens.',
    'not in the data for 2014.':
        'niet in de gegevens voor 2014.',
    ('about the 15,394 residents of 31 Dec 2013 (observations.csv coa_occupancy_total, '
     'NJI) divided by the planning occupancy factor 0.91.'):
        ('ongeveer de 15.394 bewoners van 31 dec. 2013 (observations.csv '
         'coa_occupancy_total, NJI) gedeeld door de planningsbezettingsgraad 0,91.'),
    ('not in the data; about three months of the 2014 departures (observations.csv '
     'departures_* 2014).'):
        ('niet in de gegevens; ongeveer drie maanden van de vertrekken in 2014 '
         '(observations.csv departures_* 2014).'),
    'not in the data for 2014; about three months of the 2013-2014 grants.':
        ('niet in de gegevens voor 2014; ongeveer drie maanden van de inwilligingen van '
         '2013-2014.'),
    ("about three quarters of the 1,142 beds used ('more than a quarter usually empty', "
     'parameters.csv lvv_beds note); municipal bed-bad-brood schemes before the LVV '
     'pilots are counted here.'):
        ("ongeveer driekwart van de 1.142 gebruikte bedden ('meer dan een kwart doorgaans "
         "leeg', parameters.csv lvv_beds noot); gemeentelijke bed-bad-broodregelingen van "
         'voor de LVV-pilots tellen hier mee.'),
    'the 2014 value inside that range.':
        'de waarde van 2014 binnen die bandbreedte.',
    'a short, uncertain permit weakens the incentive to invest (VNG); no figure.':
        ('een korte, onzekere vergunning verzwakt de prikkel om te investeren (VNG); geen '
         'cijfer.'),
    ('after it the 2030 budget holds in real terms, so prices are held at their 2030 '
     'level for the IND.'):
        ('daarna blijft het budget van 2030 reëel gelijk, dus de prijzen voor de IND blijven '
         'op hun niveau van 2030.'),
    'an uncertainty band around recent years, not one year.':
        'een onzekerheidsband rond de afgelopen jaren, niet één jaar.',
    'average stay in the LVV; not published.':
        'gemiddelde verblijfsduur in de LVV; niet gepubliceerd.',
    ('share of LVV leavers who leave the country; the scheme reports 2,100 of 2,700 '
     'people left the scheme without saying where to (parameters.csv '
     'lvv_people_left_scheme).'):
        ('aandeel van de LVV-verlaters dat het land verlaat; de regeling meldt dat 2.100 van '
         'de 2.700 mensen de regeling verlieten zonder te zeggen waarheen (parameters.csv '
         'lvv_people_left_scheme).'),
    'time to fill a free LVV bed when there is demand; not published.':
        'tijd om een vrij LVV-bed te vullen als er vraag is; niet gepubliceerd.',
    'places scale with funding.':
        'plaatsen schalen mee met de financiering.',
    ('average time before an undocumented person finds and is admitted to a free LVV '
     'place; not published.'):
        ('gemiddelde tijd voordat een ongedocumenteerde een vrije LVV-plaats vindt en wordt '
         'toegelaten; niet gepubliceerd.'),
    ('a national ceiling that may have fallen since 2016 as the social housing market '
     'tightened (waiting times of 7 years and more, parameters.csv social_housing_wait); '
     'calibrated, in a range from below the 2023 share to above the 2016 peak.'):
        ('een landelijk plafond dat sinds 2016 gedaald kan zijn doordat de sociale huurmarkt '
         'krapper werd (wachttijden van 7 jaar en meer, parameters.csv social_housing_wait); '
         'gekalibreerd, in een bereik van onder het aandeel van 2023 tot boven de piek van '
         '2016.'),
    ('shortest time from appeal to judgment when courts have spare capacity; not '
     'published.'):
        ('kortste tijd van beroep tot uitspraak als de rechtspraak capaciteit over heeft; '
         'niet gepubliceerd.'),
    ('average waits of 8-15 weeks in quiet periods (observations.csv '
     'ind_average_wait_weeks 2015, 2017).'):
        ('gemiddelde wachttijden van 8-15 weken in rustige perioden (observations.csv '
         'ind_average_wait_weeks 2015, 2017).'),
    ('shortest time to a nareis decision; the legal term is 3 months for nareis within 3 '
     'months of the grant; not in the data.'):
        ('kortste tijd tot een nareisbeslissing; de wettelijke termijn is 3 maanden voor '
         'nareis binnen 3 maanden na de inwilliging; niet in de gegevens.'),
    'shortest time to decide a renewal; not published.':
        'kortste tijd om over een verlenging te beslissen; niet gepubliceerd.',
    ('about a week; not published; the floor is two time steps. The EU Pact screening (7 '
     'days, parameters.csv screening_duration) adds to it.'):
        ('ongeveer een week; niet gepubliceerd; de ondergrens is twee tijdstappen. De '
         'screening van het EU-Pact (7 dagen, parameters.csv screening_duration) komt erbij.'),
    'subsequent applications are decided faster (new facts only); not published.':
        ('opvolgende aanvragen worden sneller beslist (alleen nieuwe feiten); niet '
         'gepubliceerd.'),
    ('shortest wait for a transfer to a reception location when places are free (a few '
     'days); not published; the floor is two time steps.'):
        ('kortste wachttijd voor overplaatsing naar een opvanglocatie als er plaatsen vrij '
         'zijn (een paar dagen); niet gepubliceerd; de ondergrens is twee tijdstappen.'),
    ('the MPP (Sep 2025, forecasts.csv) publishes no mid value, so mid = 0.5 is the '
     'midpoint of the band.'):
        ('de MPP (sep. 2025, forecasts.csv) publiceert geen middenwaarde, dus midden = 0,5 '
         'is het midden van de band.'),
    ('spread evenly over the months of each year (the MPP gives annual totals); '
     'assumption: after 2026 the 2026 level is held constant (no MPP figure); before '
     '2025 the lookup returns the 2025 level (not for use). Source: forecasts.csv lines '
     '2, 3; '
     'https://www.rijksoverheid.nl/actueel/nieuws/2025/09/26/nieuwe-prognose-lagere-asielinstroom-verwacht-in-2025-en-2026'):  # noqa: E501 (a URL)
        ('gelijk verdeeld over de maanden van elk jaar (de MPP geeft jaartotalen); aanname: '
         'na 2026 blijft het niveau van 2026 gelijk (geen MPP-cijfer); vóór 2025 geeft de '
         'tabel het niveau van 2025 (niet voor gebruik). Bron: forecasts.csv regels 2, 3; '
         'https://www.rijksoverheid.nl/actueel/nieuws/2025/09/26/nieuwe-prognose-lagere-asielinstroom-verwacht-in-2025-en-2026'),  # noqa: E501 (a URL)
    ('not published; calibrated against the regular-place figures (observations.csv '
     'coa_capacity_regular).'):
        ('niet gepubliceerd; gekalibreerd op de cijfers van reguliere plaatsen '
         '(observations.csv coa_capacity_regular).'),
    'share of nareis applications approved; not in the data.':
        'aandeel van de nareisaanvragen dat wordt ingewilligd; niet in de gegevens.',
    ('nareis applications per refugee or humanitarian grant; nareis was about a quarter '
     'of the inflow in 2024 (parameters.csv nareis_share_of_inflow); calibrated.'):
        ('nareisaanvragen per inwilliging als vluchteling of op humanitaire gronden; nareis '
         'was in 2024 ongeveer een kwart van de instroom (parameters.csv '
         'nareis_share_of_inflow); gekalibreerd.'),
    'same default as nareis per grant.':
        'dezelfde standaardwaarde als nareis per inwilliging.',
    ('share of family-reunification arrivals whose sponsor still lives in COA; not '
     'published.'):
        ('aandeel van de gezinsherenigers van wie de referent nog in het COA woont; niet '
         'gepubliceerd.'),
    'time from visa to arrival; not in the data.':
        'tijd van visum tot aankomst; niet in de gegevens.',
    'no figure; 1 = as in 2019.':
        'geen cijfer; 1 = als in 2019.',
    'overflow sites close a few months after the pressure is gone; not published.':
        'overlooplocaties sluiten een paar maanden nadat de druk weg is; niet gepubliceerd.',
    ('a few days to move people to an overflow site once it is open; the floor is two '
     'time steps.'):
        ('een paar dagen om mensen naar een overlooplocatie te brengen zodra die open is; de '
         'ondergrens is twee tijdstappen.'),
    ('overflow sites near Ter Apel (pavilions, tents, other COA locations) were opened '
     'within weeks in 2022 and 2024; no published lead time.'):
        ('overlooplocaties bij Ter Apel (paviljoens, tenten, andere COA-locaties) gingen in '
         '2022 en 2024 binnen weken open; geen gepubliceerde aanlooptijd.'),
    ('not published directly; calibrated against the housed persons (observations.csv '
     'status_holders_housed) and the homes let to status holders (observations.csv '
     'social_lettings_share_status_holders).'):
        ('niet direct gepubliceerd; gekalibreerd op de gehuisveste personen '
         '(observations.csv status_holders_housed) en de aan statushouders verhuurde '
         'woningen (observations.csv social_lettings_share_status_holders).'),
    'time to assign a free reception place and travel there; not published.':
        ('tijd om een vrije opvangplaats toe te wijzen en ernaartoe te reizen; niet '
         'gepubliceerd.'),
    ('about 1,320 productive hours a year per full-time decision maker after leave, '
     'training and overhead; not published.'):
        ('ongeveer 1.320 productieve uren per jaar per voltijds beslismedewerker na verlof, '
         'opleiding en overhead; niet gepubliceerd.'),
    ("bracketed from sources: Aedes 'without urgency they are chanceless in many places' "
     '(https://aedes.nl/aandachtsgroepen/aedes-woningcorporaties-zijn-er-ook-voor-vergunninghouders) '  # noqa: E501 (a URL)
     'near the low end; Alkmaar and Uitgeest dropped the urgency category in 2018 but '
     "kept corporation agreements and 'in practice nothing changed' "
     '(https://www.nu.nl/binnenland/5535038/statushouders-krijgen-in-meeste-gemeenten-nog-voorrang-bij-sociale-huur.html) '  # noqa: E501 (a URL)
     'at the high end; the RvS advice on 36831 was negative (timeline.csv 2025-09-17).'):
        ("afgebakend uit bronnen: Aedes 'zonder urgentie zijn ze op veel plaatsen kansloos' "
         '(https://aedes.nl/aandachtsgroepen/aedes-woningcorporaties-zijn-er-ook-voor-vergunninghouders) '  # noqa: E501 (a URL)
         'bij de ondergrens; Alkmaar en Uitgeest schrapten de urgentiecategorie in 2018 maar '
         "hielden de afspraken met corporaties en 'in de praktijk veranderde er niets' "
         '(https://www.nu.nl/binnenland/5535038/statushouders-krijgen-in-meeste-gemeenten-nog-voorrang-bij-sociale-huur.html) '  # noqa: E501 (a URL)
         'bij de bovengrens; het advies van de RvS over 36831 was negatief (timeline.csv '
         '2025-09-17).'),
    ('a registration queue beyond the normal one is planned away in about a month (extra '
     'registration locations, as in 2015); not published.'):
        ('een registratiewachtrij boven de normale wordt in ongeveer een maand weggewerkt '
         '(extra registratielocaties, zoals in 2015); niet gepubliceerd.'),
    'time to open or close extra registration capacity; not published.':
        'tijd om extra registratiecapaciteit te openen of te sluiten; niet gepubliceerd.',
    ('AVIM and the IND plan registration capacity on the arrivals of about the last '
     'month; not published.'):
        ('AVIM en de IND plannen de registratiecapaciteit op de aankomsten van ongeveer de '
         'laatste maand; niet gepubliceerd.'),
    ('calibrated against the regular-place and regular-occupancy figures '
     '(observations.csv coa_capacity_regular, coa_occupancy_regular).'):
        ('gekalibreerd op de cijfers van reguliere plaatsen en reguliere bezetting '
         '(observations.csv coa_capacity_regular, coa_occupancy_regular).'),
    ('a border procedure decision takes about the hours of a regular one, in a 12-week '
     'limit; not published.'):
        ('een beslissing in de grensprocedure kost ongeveer de uren van een gewone, binnen '
         'een termijn van 12 weken; niet gepubliceerd.'),
    'a document and identity check, no asylum interview; not published.':
        'een controle van documenten en identiteit, geen asielgehoor; niet gepubliceerd.',
    'not published.':
        'niet gepubliceerd.',
    'a shorter procedure on new facts only; not published.':
        'een kortere procedure over alleen nieuwe feiten; niet gepubliceerd.',
    'share of appeals against revocation that keep the permit; not published.':
        ('aandeel van de beroepen tegen intrekking waarin de vergunning blijft; niet '
         'gepubliceerd.'),
    ('revocation at renewal is rare under the law as of 2025 (the refugee definition '
     'changes little); no figure.'):
        ('intrekking bij verlenging is zeldzaam onder de wet van 2025 (de '
         'vluchtelingendefinitie verandert weinig); geen cijfer.'),
    ('rare under the law as of 2025; the two-status system ends subsidiary protection '
     'when the country of origin improves (law text 36703); no figure. Policy input, set '
     'by measures.'):
        ('zeldzaam onder de wet van 2025; het tweestatusstelsel beëindigt subsidiaire '
         'bescherming als het land van herkomst verbetert (wettekst 36703); geen cijfer. '
         'Beleidsinvoer, gezet door maatregelen.'),
    'share of housed people whose permit is revoked who leave the country; no figure.':
        ('aandeel van de gehuisveste mensen met een ingetrokken vergunning dat het land '
         'verlaat; geen cijfer.'),
    'the same in other years (no series in the data).':
        'hetzelfde in andere jaren (geen reeks in de gegevens).',
    ('the law obliges provinces to realise their share of the need (forecasts.csv '
     'coa_capacity_shortage 2025-09-26:'):
        ('de wet verplicht provincies hun deel van de behoefte te realiseren (forecasts.csv '
         'coa_capacity_shortage 2025-09-26:'),
    'no figure for the size; set by scenarios.':
        "geen cijfer voor de omvang; gezet door scenario's.",
    'not in the data; most repeat applications are rejected.':
        'niet in de gegevens; de meeste herhaalde aanvragen worden afgewezen.',
    ('calibrated; in 2022-I 11,886 were housed against a target of 9,979 '
     '(observations.csv status_holders_housed, housing_target) but most later periods '
     'fell short.'):
        ('gekalibreerd; in 2022-I werden 11.886 mensen gehuisvest tegen een taakstelling van '
         '9.979 (observations.csv status_holders_housed, housing_target), maar de meeste '
         'latere perioden bleven achter.'),
    ('the 2024 order stays in force after 2025 and its caps (EUR 1.5 m and 5 m) are '
     'renewed when reached, so the caps are not modelled; time in months since '
     '2014-01-01.'):
        ('de last van 2024 blijft na 2025 van kracht en de maxima (EUR 1,5 mln en 5 mln) '
         'worden vernieuwd als ze bereikt zijn, dus de maxima zijn niet gemodelleerd; tijd '
         'in maanden sinds 2014-01-01.'),
    ('the destination is unknown by definition; the midpoint of a wide range (only its '
     'combination with the average undocumented stay is identified by the WODC estimate, '
     'observations.csv undocumented_population).'):
        ('de bestemming is per definitie onbekend; het midden van een brede bandbreedte '
         '(alleen de combinatie met de gemiddelde verblijfsduur van ongedocumenteerden volgt '
         'uit de WODC-schatting, observations.csv undocumented_population).'),
    ('emergency places are contracted (hotels, ships, halls) and cost the same empty or '
     'full; not published.'):
        ('noodopvangplaatsen zijn ingehuurd (hotels, schepen, hallen) en kosten leeg '
         'evenveel als vol; niet gepubliceerd.'),
    ('an empty regular place costs about half an occupied one (buildings and staff '
     'remain); not published.'):
        ('een lege reguliere plaats kost ongeveer de helft van een bezette (gebouwen en '
         'personeel blijven); niet gepubliceerd.'),
    ('a full reassessment of the protection need at each renewal instead of a check of '
     'the grounds; its hours are not published'):
        ('een volledige herbeoordeling van de beschermingsbehoefte bij elke verlenging in '
         'plaats van een toets van de gronden; de uren ervan zijn niet gepubliceerd'),
    ('stricter rules for subsequent applications (36704); how many fewer are lodged is '
     'not known'):
        ('strengere regels voor opvolgende aanvragen (36704); hoeveel minder er worden '
         'ingediend, is niet bekend'),
    ('nareis limited to the core family for refugees and subsidiary holders (bills 36703 '
     'and 36704, https://njb.nl/wetgeving/wetsvoorstellen/invoering-tweestatusstelsel); '
     'the share of other relatives in nareis is not in the data'):
        ('nareis beperkt tot het kerngezin voor vluchtelingen en subsidiair beschermden '
         '(wetsvoorstellen 36703 en 36704, '
         'https://njb.nl/wetgeving/wetsvoorstellen/invoering-tweestatusstelsel); het aandeel '
         'van andere familieleden in de nareis staat niet in de gegevens'),
    ('the MvT estimate is clearly understated (RvS, Afdeling bestuursrechtspraak; '
     'parameters.csv note): up to ten times'):
        ('de schatting in de MvT is duidelijk te laag (RvS, Afdeling bestuursrechtspraak; '
         'parameters.csv noot): tot tien keer'),
    ('no official figure exists for an effect of the measures on the inflow '
     '(deterrence); zero by default, the range only for sensitivity and break-even '
     'analysis'):
        ('er is geen officieel cijfer voor een effect van de maatregelen op de instroom '
         '(afschrikking); standaard nul, het bereik alleen voor gevoeligheids- en '
         'omslagpuntanalyse'),
    ('waiting period and income requirement for nareis of subsidiary holders (bill '
     '36703); the size is not sourced'):
        ('wachttermijn en inkomenseis voor nareis van subsidiair beschermden (wetsvoorstel '
         '36703); de omvang heeft geen bron'),
    ('subsidiary protection ends when the country of origin improves, checked at each '
     'renewal (bill 36703); no figure'):
        ('subsidiaire bescherming eindigt als het land van herkomst verbetert, getoetst bij '
         'elke verlenging (wetsvoorstel 36703); geen cijfer'),
    ("whether the budget pays for the IND's estimate is not known; 0 = no matching "
     "capacity (the VNG's reading)"):
        ('of het budget de schatting van de IND betaalt, is niet bekend; 0 = geen '
         'bijpassende capaciteit (de lezing van de VNG)'),
    ("7 days is the maximum; how much of it adds to today's registration time is not "
     'known'):
        ('7 dagen is het maximum; hoeveel daarvan bij de huidige registratietijd komt, is '
         'niet bekend'),
    ('the Dutch adequate capacity under Decision 2024/2150 is not in the data '
     "(parameters.csv has only Italy's, border_procedure_max_applications_italy)"):
        ('de Nederlandse adequate capaciteit onder Besluit 2024/2150 staat niet in de '
         'gegevens (parameters.csv heeft alleen die van Italië, '
         'border_procedure_max_applications_italy)'),
    ('screening, Eurodac and the new procedure rules add IND work; the IND gave no '
     'workload figure (timeline.csv 2025-09-24)'):
        ('screening, Eurodac en de nieuwe procedureregels geven de IND extra werk; de IND '
         'gaf geen cijfer voor de werklast (timeline.csv 2025-09-24)'),
    ('per the government this element can also come through the Pact implementation law '
     '36871 (adopted by the EK 26 May 2026, timeline.csv, secondary); the retrieved law '
     'texts do not confirm it, so scenarios may leave it out with `without`'):
        ('volgens de regering kan dit onderdeel ook via de Uitvoeringswet Pact 36871 komen '
         '(aangenomen door de EK op 26 mei 2026, timeline.csv, secundair); de opgehaalde '
         "wetteksten bevestigen dat niet, dus scenario's kunnen het weglaten met `without`"),
    'more crisis places in hotels and ships; the mix is not known':
        'meer crisisplaatsen in hotels en op schepen; de verdeling is niet bekend',
}
"""English reason (the .mdl comment from 'assumption' on, or a measure effect's note) ->
the same in Dutch."""
