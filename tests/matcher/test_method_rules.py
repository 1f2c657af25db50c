"""General matching rules, each shown on a tiny taxonomy through `Matcher.match`."""

from __future__ import annotations

from matcher import Matcher, Skill, Synonym, Synonyms, Taxonomy


def _matcher(*labels: str | tuple[str, ...], synonyms: Synonyms | None = None,
             descriptions: dict[str, str] | None = None) -> Matcher:
    """A matcher over skills named by `labels` (a label, or a label and its alt labels),
    with `descriptions` by label."""
    skills = []
    for number, item in enumerate(labels):
        label, *alts = (item,) if isinstance(item, str) else item
        skills.append(Skill(f"urn:test:{number}", label, tuple(alts),
                            description=(descriptions or {}).get(label, "")))
    return Matcher(Taxonomy(skills, name="test"), synonyms or Synonyms())


def _best(matcher: Matcher, phrase: str) -> str | None:
    found = matcher.match(phrase, limit=1)
    return found[0].label if found else None


def test_a_name_answers_without_its_type_word():
    matcher = _matcher("SAS language", "sign language", "HVAC systems", "operating systems")
    assert _best(matcher, "SAS") == "SAS language"
    assert _best(matcher, "HVAC") == "HVAC systems"
    # Only names (written with a capital) lose their type word: "sign" is not sign language.
    assert _best(matcher, "sign") is None
    assert _best(matcher, "operating") is None


def test_the_spelling_as_written_decides_between_a_label_and_a_synonym():
    synonyms = Synonyms([Synonym("Canva", "graphic design", "broader"),
                         Synonym("Gits", "", "none")])
    matcher = _matcher("Canvas", "graphic design", "Git", synonyms=synonyms)
    # "Canva" and "Canvas" normalise alike; each phrase goes to the entry spelt like it.
    assert _best(matcher, "Canva") == "graphic design"
    assert _best(matcher, "Canvas") == "Canvas"
    assert [m.label for m in matcher.match("Canva")] == ["graphic design", "Canvas"]
    # A "none" entry spelt otherwise does not veto a label spelt as the phrase.
    assert _best(matcher, "Git") == "Git"
    assert _best(matcher, "Gits") is None


def test_the_plural_of_a_known_word_is_not_read_as_another_word():
    matcher = _matcher("API", "axis", "x axis", "y axis")
    [best, *_] = matcher.match("APIs")
    assert best.label == "API" and "'apis' read as 'api'" in best.reason
    assert "axis" not in {m.label for m in matcher.match("APIs")}


def test_a_vendor_name_is_kept_when_it_is_part_of_a_known_term():
    synonyms = Synonyms([Synonym("google analytics", "web analytics", "broader"),
                         Synonym("analytics", "data analytics")])
    matcher = _matcher("web analytics", "data analytics", synonyms=synonyms)
    assert _best(matcher, "Google Analytics Certification") == "web analytics"
    # Elsewhere the vendor name is still set aside.
    assert _best(matcher, "Google Analytics Fundamentals") == "web analytics"
    assert _best(matcher, "Microsoft Analytics Certification") == "data analytics"


def test_a_credential_title_sets_aside_the_level_or_job_title_it_confers():
    synonyms = Synonyms([Synonym("aws", "cloud technologies", "broader"),
                         Synonym("google cloud", "cloud technologies", "broader"),
                         Synonym("scrum", "agile project management", "broader"),
                         Synonym("scrum master", "lead scrum teams")])
    matcher = _matcher("cloud technologies", "digital literacy", "leader", "lead scrum teams",
                       "agile project management", synonyms=synonyms)
    assert _best(matcher, "AWS Certified Solutions Architect - Associate") == "cloud technologies"
    assert _best(matcher, "Google Cloud Digital Leader") == "cloud technologies"
    # Title words go last: the longer known term still wins.
    assert _best(matcher, "Certified Scrum Master") == "lead scrum teams"
    # Outside a credential's title, a title word is a word like any other.
    assert _best(matcher, "Leader") == "leader"
    assert _best(matcher, "Solutions Architect") is None


def test_a_broader_synonym_yields_to_a_label_that_is_a_verb_plus_its_term():
    synonyms = Synonyms([Synonym("accounts receivable", "manage accounts", "broader"),
                         Synonym("data entry", "process data", "broader"),
                         Synonym("unit testing", "execute software tests", "broader")])
    verb_labels = [f"follow up {thing}" for thing in ("orders", "leads", "complaints", "sales")]
    matcher = _matcher("manage accounts", "follow up accounts receivables", *verb_labels,
                       "process data", "supervise data entry", "execute software tests",
                       "electronic unit testing", synonyms=synonyms)
    [best, *_] = matcher.match("Accounts Receivable")
    assert best.label == "follow up accounts receivables" and "more closely" in best.reason
    assert "manage accounts" in {m.label for m in matcher.match("Accounts Receivable")}
    # A verb that makes it another activity (supervising), or a word that is not a verb,
    # leaves the table's answer alone.
    assert _best(matcher, "Data Entry") == "process data"
    assert _best(matcher, "Unit Testing") == "execute software tests"


def test_a_broader_synonym_yields_to_a_generic_verb_one_word_and_its_term():
    synonyms = Synonyms([Synonym("unit testing", "execute software tests", "broader")])
    matcher = _matcher("execute software tests", "perform software unit testing",
                       synonyms=synonyms)
    [best, *_] = matcher.match("Unit Testing")
    assert best.label == "perform software unit testing" and "more closely" in best.reason


def test_filler_set_aside_must_not_leave_one_common_word_matching_an_alt_label():
    common = [f"computer topic{n}" for n in range(45)]  # "computer" is in many labels
    matcher = _matcher(("computer equipment", "computer"), ("container orchestration", "kubernetes"),
                       "computer", *common)
    assert _best(matcher, "Computer Proficiency") == "computer"  # a preferred label still counts
    matcher = _matcher(("computer equipment", "computer"), ("container orchestration", "kubernetes"),
                       *common)
    assert _best(matcher, "Computer") == "computer equipment"
    assert _best(matcher, "Computer Proficiency") is None
    # A distinctive word left alone is still good evidence.
    assert _best(matcher, "Kubernetes Proficiency") == "container orchestration"


def test_a_misspelt_synonym_term_is_corrected_to_the_term():
    synonyms = Synonyms([Synonym("Kubernetes", "manage virtualisation", "broader")])
    matcher = _matcher("manage virtualisation", "container engine tuning", synonyms=synonyms)
    [best, *_] = matcher.match("Kubernates")
    assert best.label == "manage virtualisation"
    assert "read as 'kubernete'" in best.reason


def test_a_misspelt_word_is_corrected_before_terms_are_spotted_in_the_phrase():
    synonyms = Synonyms([Synonym("app development", "mobile frameworks", "broader")])
    matcher = _matcher("mobile frameworks", "software development", synonyms=synonyms)
    assert _best(matcher, "Android App Devlopment") == "mobile frameworks"


def test_a_label_like_the_whole_phrase_beats_a_term_that_explains_part_of_it():
    synonyms = Synonyms([Synonym("testing", "execute tests", "broader")])
    # "test" is a common word, "usability" a rare one.
    matcher = _matcher("execute tests", "test software", "test hardware", "test materials",
                       "test networks", ("usability engineering", "software usability testing"),
                       synonyms=synonyms)
    assert _best(matcher, "Usability Testing") == "usability engineering"


def test_words_in_another_order_still_look_alike():
    matcher = _matcher(("identify security risks", "model ICT threats"), "make model")
    assert _best(matcher, "Threat Modeling") == "identify security risks"


def test_a_word_in_capitals_is_an_acronym_not_a_misspelling():
    matcher = _matcher("use shims", "fit shims", "human resource management")
    assert _best(matcher, "shrm") == "use shims"  # written in lower case, a typo of "shim"
    assert _best(matcher, "SHRM") is None


def test_one_word_sharing_only_a_stem_with_a_label_is_no_match():
    # "loggly" and "logic" share the crude stem "log", but do not look alike.
    matcher = _matcher("logic", "logging")
    assert _best(matcher, "Loggly") is None
    assert _best(matcher, "logics") == "logic"


def test_a_title_ending_in_the_title_it_confers_names_its_skill():
    synonyms = Synonyms([Synonym("tableau", "business intelligence", "broader")])
    matcher = _matcher("business intelligence", "desktop publishing", synonyms=synonyms)
    assert _best(matcher, "Tableau Desktop Specialist") == "business intelligence"
    assert _best(matcher, "Desktop Publishing") == "desktop publishing"


def test_job_post_filler_is_set_aside():
    matcher = _matcher("Selenium", "hand", "hand tools", "hand signals")
    [best] = matcher.match("Hands on experience in Selenium")
    assert best.label == "Selenium" and "(100% of it)" in best.reason


def test_a_name_no_label_has_is_found_in_a_description_that_names_it():
    descriptions = {
        "manage virtualisation": "Operate tools such as Xen, VMware and KVM Server that "
                                 "virtualise hardware. Keep a queue of tasks.",
        "organise a workshop": "Set out each workbench and tool. Xen is named here too.",
        "assist guests": "Queue guests. Help them with their bookings.",
        "administer servers": ""}
    matcher = _matcher(*descriptions, descriptions=descriptions)
    [best] = matcher.match("Xen Servers")
    assert best.label == "manage virtualisation"
    assert "the description of 'manage virtualisation' names 'xen'" in best.reason
    assert _best(matcher, "KVM Server") == "manage virtualisation"
    # Common words are no names, even capitalised at the start of a sentence.
    assert _best(matcher, "Queue") is None
    assert _best(matcher, "workbench") is None


def test_no_term_is_spotted_in_part_of_a_written_word():
    synonyms = Synonyms([Synonym("zoom", "collaborate online", "broader"),
                         Synonym("email marketing", "execute email marketing")])
    matcher = _matcher("collaborate online", "execute email marketing", "use CRM software",
                       "hub and spoke logistics", "spot welding", synonyms=synonyms)
    assert _best(matcher, "ZoomInfo") is None
    assert _best(matcher, "Zoom Info") == "collaborate online"
    # A vendor's name written as one word is still a vendor's name.
    assert _best(matcher, "HubSpot Email Marketing Certification") == "execute email marketing"
    [best] = matcher.match("HubSpot Email Marketing")
    assert "ignoring 'hubspot'" in best.reason  # set aside in every reading, not only spotting


def test_a_labels_leading_verb_counts_for_less_in_the_overlap():
    # Labels say "develop animations" where badges say "Computer Animation".
    matcher = _matcher("develop animations", "develop software", "develop plans",
                       "develop budgets", "develop menus", "develop a recipe", "computer science",
                       "computer equipment", "computer hardware", "computer literacy")
    assert _best(matcher, "Computer Animation") == "develop animations"


def test_a_list_with_a_part_that_names_no_skill_and_none_that_names_one_is_no_match():
    synonyms = Synonyms([Synonym("B.Tech", "", "none"), Synonym("SQL", "use SQL")])
    matcher = _matcher("computer science", "use SQL", synonyms=synonyms)
    assert _best(matcher, "B.Tech/Computer Science theory") is None
    assert _best(matcher, "Computer Science theory") == "computer science"
    assert _best(matcher, "B.Tech/SQL") == "use SQL"


def test_a_word_with_a_capital_inside_is_a_name_not_a_misspelling():
    matcher = _matcher("gel permeation chromatography", "GPC", "GPC columns")
    assert _best(matcher, "grpc") is not None
    assert _best(matcher, "gRPC") is None


def test_a_word_a_description_also_writes_in_lower_case_is_no_name():
    descriptions = {"fasten treads": "Fix the treads to the Beam. Check that each beam is level.",
                    "manage virtualisation": "Run hosts with Xen."}
    matcher = _matcher(*descriptions, descriptions=descriptions)
    assert _best(matcher, "Apache Beam") is None
    assert _best(matcher, "Xen") == "manage virtualisation"


def test_a_word_no_label_has_weighs_less_beside_a_spotted_term():
    synonyms = Synonyms([Synonym("aws", "cloud technologies", "broader")])
    matcher = _matcher("cloud technologies", "system operations", "operations research",
                       synonyms=synonyms)
    # "SysOps" is in no label: an exam's name beside the term it is about.
    assert _best(matcher, "AWS Certified SysOps Administrator") == "cloud technologies"


def test_c_sharp_is_a_distinctive_word():
    matcher = _matcher("C#", "C", "computer programming")
    assert _best(matcher, "Good knowledge of C# and LINQ") == "C#"


def test_a_labels_leading_verb_counts_fully_when_the_phrase_names_the_act_too():
    matcher = _matcher("manage software releases", "manage budgets", "manage staff",
                       "manage stock", "manage risks", "manage projects", "release animals",
                       "software")
    assert _best(matcher, "Release Management") == "manage software releases"


def test_a_shortened_word_is_read_as_the_word_it_shortens():
    matcher = _matcher("cyber security", "customer service", "project management", "cyber")
    [best, *_] = matcher.match("Cyber Sec")
    assert best.label == "cyber security" and "'sec' read as 'security'" in best.reason
    assert _best(matcher, "Cust. Service") == "customer service"
    assert _best(matcher, "Project Mgmt") == "project management"


def test_a_shortened_word_inside_a_longer_written_word_is_left_alone():
    matcher = _matcher("DevOps", "development", "operations research")
    assert _best(matcher, "DevOps") == "DevOps"
    assert not any("read as" in m.reason for m in matcher.match("DevOps Tooling"))
    [best] = matcher.match("Dev")
    assert best.label == "development" and "read as" in best.reason


def test_a_written_word_weighs_as_one_word_however_many_tokens_it_gives():
    synonyms = Synonyms([Synonym("aws", "cloud technologies", "broader")])
    matcher = _matcher("cloud technologies", "system architecture", "operations research",
                       synonyms=synonyms)
    [split] = matcher.match("AWS SysOps")
    [apart] = matcher.match("AWS Sys Ops")
    assert split.label == "cloud technologies"
    assert split.confidence > apart.confidence


def test_one_word_naming_the_act_of_the_only_label_led_by_its_verb_is_no_weak_evidence():
    matcher = _matcher("proofread text", "text messaging", "write text", "edit text")
    assert _best(matcher, "Proofreading") == "proofread text"
    # A word that leads several skills' labels names none of them in particular.
    matcher = _matcher("schedule shifts", "schedule production", "shift work", "production")
    assert _best(matcher, "Scheduling") is None


def test_a_misspelt_word_ending_in_s_is_corrected_though_the_singular_took_its_s():
    matcher = _matcher("business development", "business law", "busing", "personal development")
    assert _best(matcher, "Busines Development") == "business development"


def test_applied_and_practical_qualify_a_skill_without_naming_one():
    matcher = _matcher("statistics", "medical statistics", "applied kinesiology",
                       *(f"{w} statistics" for w in ("economic", "sport", "crime")))
    assert _best(matcher, "Applied Statistics") == "statistics"
    assert _best(matcher, "Practical Statistics") == "statistics"
    assert _best(matcher, "Applied Kinesiology") == "applied kinesiology"


def test_a_term_known_to_name_no_skill_outweighing_a_spotted_term_vetoes_it():
    synonyms = Synonyms([Synonym("spark", "", "none"), Synonym("sql", "SQL")])
    matcher = _matcher("SQL", "SQL Server", "use SQL", "spark plug maintenance", "database queries",
                       synonyms=synonyms)
    assert _best(matcher, "Spark SQL") is None
    assert _best(matcher, "SQL Server on Spark") == "SQL Server"


def test_a_name_ending_in_js_is_a_javascript_library():
    matcher = _matcher("JavaScript Framework", "JavaScript", "backbone surgery")
    assert [m.label for m in matcher.match("Backbone.js")] == ["JavaScript Framework",
                                                               "JavaScript"]
    assert _best(matcher, "SystemJS") == "JavaScript Framework"
    assert _best(matcher, "Jobs") is None


def test_a_noun_in_y_meets_its_adjective_in_ic():
    synonyms = Synonyms([Synonym("marketing", "marketing principles")])
    matcher = _matcher("plan marketing strategy", "marketing principles", "strategic planning",
                       "marketing research", "marketing mix", synonyms=synonyms)
    assert _best(matcher, "Strategic Marketing") == "plan marketing strategy"


def test_a_name_after_a_function_verb_is_the_label_of_the_name():
    matcher = _matcher("apply HACCP", "hack", "carry logs")
    assert _best(matcher, "HACCP") == "apply HACCP"
    assert _best(matcher, "Loggly") is None


def test_a_rare_known_word_beside_a_far_commoner_neighbour_is_read_as_the_neighbour():
    things = [f"{w} planning" for w in ("cost", "event", "project", "route", "menu", "tax",
                                         "media", "staff", "sales", "stock", "site", "risk",
                                         "audit", "energy", "urban", "career", "estate",
                                         "network", "capacity", "succession", "trip")]
    matcher = _matcher("manage budgets", ("plan budgets", "budget planning"), "operate planing machine",
                       *things)
    [best, *_] = matcher.match("Budget Planing")
    assert best.label == "plan budgets" and "'planing' read as 'planning'" in best.reason
    # As written, a rare word is still the word it is.
    assert _best(matcher, "Planing Machine") == "operate planing machine"


def test_a_word_written_in_two_is_read_as_one():
    matcher = _matcher("manage database", "manage data", "database", "data base station",
                       "base management")
    [best, *_] = matcher.match("Data Base Management")
    assert best.label == "manage database"
    assert "'data base' read as 'database'" in best.reason


def test_an_ampersand_is_read_as_and():
    synonyms = Synonyms([Synonym("training and development", "train employees")])
    matcher = _matcher("train employees", "development", synonyms=synonyms)
    [best] = matcher.match("Training & Development")
    assert best.label == "train employees" and best.confidence > 0.95


def test_a_synonym_of_several_words_answers_to_them_in_another_order_or_form():
    synonyms = Synonyms([Synonym("quality control", "oversee quality control")])
    matcher = _matcher("oversee quality control", "control systems", synonyms=synonyms)
    [best] = matcher.match("Control of Quality")
    assert best.label == "oversee quality control" and "same words" in best.reason


def test_years_of_experience_are_a_requirement_not_a_skill():
    matcher = _matcher("B2B sales", "Python")
    assert _best(matcher, "B2B sales") == "B2B sales"
    for phrase in ("2-4 years of experience in B2B sales", "5+ yrs Python", "3 to 5 years B2B sales"):
        assert _best(matcher, phrase) is None, phrase


def test_a_web_address_ending_adds_nothing_to_a_name():
    synonyms = Synonyms([Synonym("salesforce", "use CRM software", "broader")])
    matcher = _matcher("use CRM software", synonyms=synonyms)
    assert _best(matcher, "Salesforce.com") == "use CRM software"


def test_a_credential_title_evidences_the_product_it_names_beside_its_track():
    synonyms = Synonyms([Synonym("salesforce", "use CRM software", "broader")])
    matcher = _matcher("use CRM software", "hardware platforms", "builder", "site builder",
                       "builder tools", "develop apps", synonyms=synonyms)
    assert _best(matcher, "Salesforce Certified Platform App Builder") == "use CRM software"
    # Not a credential's title: the product is a small part of the phrase.
    assert _best(matcher, "Salesforce Platform App Builder Integration Tuning") is None


def test_a_product_answers_to_its_name_without_its_vendors():
    matcher = _matcher("Adobe Photoshop", "Google Sheets", "sheet metal", "sheet music",
                       "balance sheets", "spread sheets")
    assert _best(matcher, "Photoshop") == "Adobe Photoshop"
    # A common word is no product's name on its own.
    assert _best(matcher, "Sheets") != "Google Sheets"


def test_no_phrase_resembles_a_label_spelt_like_a_term_that_names_no_skill():
    synonyms = Synonyms([Synonym("spark", "", "none")])
    matcher = Matcher(Taxonomy([Skill("urn:test:0", "SPARK"), Skill("urn:test:1", "SQL")],
                               name="test"), synonyms, threshold=0.4)
    assert "SPARK" not in {m.label for m in matcher.match("Spark Streaming")}
    assert _best(matcher, "SPARK") is None  # the table's reading wins as written, too


def test_a_part_of_a_credential_title_naming_only_who_certifies_is_set_aside():
    synonyms = Synonyms([Synonym("oracle", "Oracle Database", "broader")])
    matcher = _matcher("Oracle Database", "Java", "JavaScript", synonyms=synonyms)
    assert _best(matcher, "Oracle Certified Professional: Java SE 11 Developer") == "Java"
    assert _best(matcher, "Oracle Certified Professional") == "Oracle Database"


def test_a_word_with_capitals_then_lower_case_is_a_name_not_a_misspelling():
    matcher = _matcher("administer oaths", ("oath",))
    assert _best(matcher, "oauth") is not None
    assert _best(matcher, "OAuth") is None


def test_a_subject_answers_to_its_label_with_a_generic_last_word():
    matcher = _matcher("merchandising techniques", "marketing principles", "tuning techniques",
                       "maintain database performance")
    assert _best(matcher, "Merchandising") == "merchandising techniques"
    assert _best(matcher, "Marketing") == "marketing principles"
    # Only the whole phrase: "tuning" is not spotted inside a longer phrase for it.
    assert "tuning techniques" not in {m.label for m in matcher.match("Database Tuning")}


def test_a_correction_that_joins_words_keeps_the_written_words_apart():
    # "JavaScript" is written as one word of two tokens; the corrected reading joins
    # "java script", so its word positions differ from the phrase as written.
    matcher = _matcher("JavaScript", "CSS", "HTML", "Java", "javascript frameworks")
    assert {m.label for m in matcher.match("HTML CSS JavaScript")} >= {"CSS", "HTML"}


def test_a_label_holding_every_word_of_the_phrase_outranks_a_term_spotted_in_part():
    synonyms = Synonyms([Synonym("transportation", "transportation methods")])
    matcher = _matcher("transportation methods",
                       ("plan transport operations", "undertake transport operations planning"),
                       "plan", "operate", "operate systems", "undertake research",
                       "manage operations", "run operations", "green energy", synonyms=synonyms)
    assert _best(matcher, "Transportation Planning") == "plan transport operations"


def test_a_misspelt_name_is_read_as_a_name():
    synonyms = Synonyms([Synonym("mongodb", "NoSQL", "broader")])
    matcher = _matcher("NoSQL", "HTML", "GPC", "oath taking", synonyms=synonyms)
    assert _best(matcher, "MongDB") == "NoSQL"
    # A short name is read as another only with its letters swapped.
    assert _best(matcher, "HMTL") == "HTML"
    assert _best(matcher, "gRPC") is None
    # A name is never read as a common word.
    assert _best(matcher, "OAuth") is None


def test_ph_written_f_is_read_as_ph():
    matcher = _matcher("photography", "graphic design")
    assert _best(matcher, "Fotography") == "photography"
    assert _best(matcher, "Grafic Design") == "graphic design"


def test_a_rare_short_word_beside_a_far_commoner_one_is_read_as_it():
    matcher = _matcher("perform video editing", *(f"video {n}" for n in "abcdefghijklmnopqrstu"),
                       "vidoe archive")
    assert _best(matcher, "Vidoe Editing") == "perform video editing"


def test_job_post_shortenings_of_project_and_finance_are_written_out():
    matcher = _matcher("project management", "financial analysis", "maintain props")
    assert _best(matcher, "Proj. Mgmt") == "project management"
    assert _best(matcher, "Fin. Analysis") == "financial analysis"


def test_a_misspelling_is_read_as_the_likeliest_slip_before_the_commonest_word():
    matcher = _matcher("coaching", "coating", "coating machines", "apply coating",
                       "market research", "jacket making", "jacket design")
    # A letter left out ("coahing": coaching) before another letter struck ("coating").
    assert _best(matcher, "Coahing") == "coaching"
    # A neighbouring key ("marjet": market) before a distant one ("jacket" is two edits).
    assert _best(matcher, "Marjet Research") == "market research"


def test_a_doubled_plural_s_is_read_as_the_plural():
    matcher = _matcher("accounts", "pivot tables")
    assert _best(matcher, "Accountss") == "accounts"
    assert _best(matcher, "Pivot Tabless") == "pivot tables"


def test_a_misspelt_name_of_one_written_word_is_read_as_the_name():
    synonyms = Synonyms([Synonym("ServiceNow", "use ICT ticketing system", "broader")])
    matcher = _matcher("use ICT ticketing system", "Microsoft PowerPoint", "service now",
                       synonyms=synonyms)
    assert _best(matcher, "ServceNow") == "use ICT ticketing system"
    assert _best(matcher, "MicrosoftPowerPiont") == "Microsoft PowerPoint"


def test_a_hyphenated_word_is_read_as_one_at_no_cost():
    matcher = _matcher(("proofread text", "proofreading"), "read books")
    [hyphenated] = matcher.match("Proof-reading", limit=1)
    [spaced] = matcher.match("Proof reading", limit=1)
    assert hyphenated.label == spaced.label == "proofread text"
    assert hyphenated.confidence > spaced.confidence


def test_izing_forms_meet_their_ization_nouns():
    synonyms = Synonyms([Synonym("data visualization", "deliver visual presentation of data")])
    matcher = _matcher("deliver visual presentation of data", synonyms=synonyms)
    assert _best(matcher, "Visualizing Data") == "deliver visual presentation of data"


def test_a_misspelt_british_word_is_corrected_to_the_american_form():
    matcher = _matcher("search engine optimisation", "search engines")
    assert _best(matcher, "Search Engine Optimisaton") == "search engine optimisation"


def test_an_acronym_is_not_read_as_a_word_spelt_otherwise():
    matcher = _matcher("Rage", "rag doll making", "apply HACCP")
    assert _best(matcher, "RAG") is None
    assert _best(matcher, "rage") == "Rage"
    assert _best(matcher, "HACCP") == "apply HACCP"


def test_a_respelt_term_is_read_as_the_table_reads_it():
    synonyms = Synonyms([Synonym("tensorflow", "machine learning", "broader")])
    matcher = _matcher("machine learning", ("computer vision", "tensorflow"), synonyms=synonyms)
    assert _best(matcher, "TensorFlow") == "machine learning"
    assert _best(matcher, "tensorflwo") == "machine learning"


def test_plurals_of_is_nouns_and_british_forms_meet_their_labels():
    matcher = _matcher("apply statistical analysis techniques", "use object-oriented programming",
                       "financial analysis", "analyse data")
    assert _best(matcher, "Statistical Analyses") == "apply statistical analysis techniques"
    assert _best(matcher, "Object-Orientated Programming") == "use object-oriented programming"
    assert _best(matcher, "Finance Analysis") == "financial analysis"


def test_a_misspelt_british_word_with_two_s_is_respelt_where_it_is_misspelt():
    matcher = _matcher("data visualisation", "data analysis")
    assert _best(matcher, "Data Visualisaton") == "data visualisation"



def test_technology_is_a_generic_last_word_but_not_of_a_reduced_phrase():
    matcher = _matcher("automation technology", "learning technologies")
    assert _best(matcher, "Automation") == "automation technology"
    assert _best(matcher, "LinkedIn Learning") is None


def test_a_one_word_science_answers_to_its_general_or_human_branch():
    matcher = _matcher("general haematology", "human anatomy", "haematology equipment")
    assert _best(matcher, "Haematology") == "general haematology"
    assert _best(matcher, "Anatomy") == "human anatomy"


def test_job_post_qualifiers_name_no_skill():
    matcher = _matcher("Python (computer programming)", "business analysis", "plus", "mastering")
    assert _best(matcher, "Business Analysis is a plus") == "business analysis"
    assert [m.label for m in matcher.match("Mastering Business Analysis")] == ["business analysis"]


def test_two_letters_swapped_across_another_are_read_back():
    matcher = _matcher("customer service", "select costumes", "operating systems")
    assert _best(matcher, "Costumer Service") == "customer service"


def test_a_name_a_stray_letter_from_a_word_of_one_label_is_left_alone():
    matcher = _matcher("flint", "excel", "excel spreadsheets")
    assert _best(matcher, "Flink") is None
    assert _best(matcher, "Exel") == "excel"


def test_an_acronym_written_with_dots_is_the_acronym():
    matcher = _matcher("DBMS", "Master of Business Administration", "be punctual")
    assert _best(matcher, "D.B.M.S") == "DBMS"
    # Letters that spell a word stay letters: "B.E." is no "be".
    assert _best(matcher, "B.E.") is None
