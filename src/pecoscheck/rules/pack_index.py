"""The shipped rule packs, validated: written by scripts/make_pack_index.py from the packs' YAML (do not edit)."""

FORMAT = 1

PACKS = {'documents.yaml': {'pack': {'description': 'Supporting documents by application type and action, and the document '
                                            'type ids that `documents[].type` may use.\n',
                             'document_types': {'accreditation': 'accreditation letter from a CMS-approved '
                                                                 'accreditation organization',
                                                'accreditation_exemption': 'basis of an accreditation exemption, '
                                                                           'such as the pharmacy attestation',
                                                'adverse_action_record': 'documentation of a final adverse action '
                                                                         'and its resolution',
                                                'application_fee_receipt': 'application fee payment receipt from '
                                                                           'pay.gov or PECOS',
                                                'bank_letter': 'letter from the bank on its letterhead, signed by '
                                                               'a bank officer, confirming the EFT account',
                                                'bill_of_sale': 'bill of sale or stock transfer agreement for a '
                                                                'change of ownership',
                                                'board_certification': 'specialty board certification of a '
                                                                       'physician',
                                                'cdc_recognition': 'CDC Diabetes Prevention Recognition Program '
                                                                   'preliminary or full recognition, for MDPP '
                                                                   'suppliers',
                                                'certification_statement': 'signed certification statement, the '
                                                                           'signature page of the application',
                                                'clia_certificate': 'CLIA certificate',
                                                'cms_460': 'CMS-460 Medicare participating physician or supplier '
                                                           'agreement',
                                                'cms_588_eft': 'signed CMS-588 electronic funds transfer '
                                                               'authorization agreement',
                                                'dea_certificate': 'DEA controlled-substance registration '
                                                                   'certificate',
                                                'deposit_slip': 'bank deposit slip, not accepted for the CMS-588',
                                                'diploma': "diploma or transcript, such as a nurse practitioner's "
                                                           'MSN or DNP',
                                                'hardship_request': 'written hardship exception request with its '
                                                                    'documentation, instead of the fee',
                                                'irs_147c': 'IRS 147C EIN verification letter',
                                                'irs_8832': 'IRS Form 8832 entity classification election, for an '
                                                            'LLC treated as a disregarded entity',
                                                'irs_941': 'IRS-printed quarterly Form 941 or tax coupon with the '
                                                           'pre-printed name and EIN',
                                                'irs_cp575': 'IRS CP-575 EIN assignment notice',
                                                'irs_notice': 'other IRS-generated correspondence with the '
                                                              'pre-printed legal name and EIN',
                                                'lender_letter': 'lender letter waiving offset',
                                                'liability_insurance': 'general liability insurance certificate, '
                                                                       'at least $300,000 for DMEPOS suppliers',
                                                'national_certification': 'national certification of a '
                                                                          'non-physician practitioner, such as '
                                                                          'AANP, ANCC or NCCPA',
                                                'other': 'any other supporting document; no rule looks for it',
                                                'ownership_chart': 'organizational structure diagram showing '
                                                                   'ownership and control',
                                                'residency_letter': 'residency contract or letter from the '
                                                                    'training institution, for an unlicensed '
                                                                    'resident on the CMS-855O',
                                                'ss4': 'IRS Form SS-4 EIN application, filled in by the applicant '
                                                       'and not accepted by every MAC',
                                                'state_license': 'state professional or facility license, '
                                                                 'certification or registration',
                                                'surety_bond': 'DMEPOS surety bond',
                                                'voided_check': 'voided check for the EFT account',
                                                'w2': 'IRS Form W-2 wage statement, not IRS proof of the legal '
                                                      'name and TIN',
                                                'w9': 'IRS Form W-9, filled in by the taxpayer and not IRS proof '
                                                      'of the legal name and TIN'},
                             'pack': 'documents',
                             'rules': [{'actions': ['initial', 'revalidation', 'reactivation'],
                                        'applications': ['CMS-855B',
                                                         'CMS-855A',
                                                         'CMS-855S',
                                                         'CMS-20134',
                                                         'CMS-855I'],
                                        'example_fail': 'provider: {kind: organization, legal_name: "Lincoln Park '
                                                        'Pediatrics, LLC", tin: 36-4829175}\n'
                                                        'documents:\n'
                                                        '  - {type: w9, file: docs/form-w9.pdf}\n',
                                        'example_pass': 'documents:\n'
                                                        '  - {type: irs_cp575, file: docs/irs-cp575.pdf}\n',
                                        'hint': 'Attach the IRS CP-575 (EIN assignment notice) or, if it is lost, '
                                                'a 147C letter requested from the IRS (`type: irs_cp575` or '
                                                '`irs_147c`). A W-9, W-2 or SS-4 is not an IRS-issued '
                                                'confirmation.',
                                        'id': 'DOC001',
                                        'kinds': ['individual', 'organization'],
                                        'message': 'no IRS-issued document confirming the legal business name and '
                                                   'EIN is listed (one of {types})',
                                        'rationale': 'Organizations (CMS-855B, 855A, 855S, CMS-20134) and sole '
                                                     'owners or sole proprietors who bill under an EIN must '
                                                     'confirm the legal business name and TIN with an '
                                                     'IRS-generated document such as the CP-575 or 147C; WPS also '
                                                     'accepts an IRS-printed quarterly Form 941 or tax coupon. A '
                                                     'missing IRS document is a top reason for development. '
                                                     'pecoscheck checks initial enrollments, revalidations and '
                                                     'reactivations; an individual counts as using an EIN when '
                                                     '`provider.tin` is set.\n',
                                        'require': {'document': ['irs_cp575', 'irs_147c', 'irs_941', 'irs_notice']},
                                        'severity': 'error',
                                        'source': '[S23] FCSO tips (CP-575, NPI first); [S21] NGS Top Reasons '
                                                  'Behind Delays (Part B); [S25] WPS Part A enrollment FAQ',
                                        'title': 'No IRS document confirming the legal business name and TIN',
                                        'when': {'any_of': [{'any_of': [],
                                                             'tests': {'$kind': {'equals': 'organization'}}},
                                                            {'any_of': [],
                                                             'tests': {'provider.tin': {'present': True}}}],
                                                 'tests': {}}},
                                       {'actions': ['initial',
                                                    'revalidation',
                                                    'change_of_information',
                                                    'reactivation',
                                                    'reassignment'],
                                        'applications': ['CMS-855I',
                                                         'CMS-855B',
                                                         'CMS-855A',
                                                         'CMS-855S',
                                                         'CMS-20134'],
                                        'example_fail': 'enrollment: {action: initial}\n'
                                                        'bank_account: {routing_number: "121000358", '
                                                        'account_holder: Lucia Ferreira}\n'
                                                        'documents:\n'
                                                        '  - {type: state_license, file: docs/ca-license.pdf}\n',
                                        'example_pass': 'documents:\n'
                                                        '  - {type: cms_588_eft, file: docs/cms-588-signed.pdf}\n'
                                                        '  - {type: voided_check, file: docs/voided-check.pdf}\n',
                                        'hint': 'Attach the signed CMS-588 with a voided check or bank letter '
                                                '(`type: cms_588_eft`). A practitioner who reassigns all benefits '
                                                'files none: list the reassignments and no `bank_account`.',
                                        'id': 'DOC004',
                                        'kinds': ['individual', 'organization'],
                                        'message': 'no CMS-588 EFT authorization agreement (cms_588_eft) is '
                                                   'listed; an initial enrollment or a bank account change needs '
                                                   'one ({application}, action `{action}`)',
                                        'rationale': 'Medicare pays only by electronic funds transfer, so an '
                                                     'initial enrollment and a change of bank account need a '
                                                     'CMS-588. Practitioners who reassign all their benefits do '
                                                     'not file one. pecoscheck treats an individual with at least '
                                                     'one reassignment and no `bank_account` as reassigning all '
                                                     'benefits; anyone who keeps billing in their own name records '
                                                     'the account in `bank_account` and needs the CMS-588. A '
                                                     'banking change is a `changes[]` entry of kind '
                                                     '`bank_account`. The profile has no change-of-ownership '
                                                     "(CHOW) flag, so a CHOW's CMS-588 is not checked here.\n",
                                        'require': {'document': ['cms_588_eft']},
                                        'severity': 'error',
                                        'source': '[S26] NGS EFT instructions; [S27] FCSO CMS-588 tips',
                                        'title': 'No CMS-588 EFT agreement for an initial enrollment or banking '
                                                 'change',
                                        'when': {'any_of': [{'any_of': [],
                                                             'tests': {'enrollment.action': {'equals': 'initial'}}},
                                                            {'any_of': [],
                                                             'tests': {'changes[*].kind': {'equals': 'bank_account'}}}],
                                                 'not_': {'any_of': [],
                                                          'tests': {'$kind': {'equals': 'individual'},
                                                                    'bank_account': {'present': False},
                                                                    'reassignments': {'present': True}}},
                                                 'tests': {}}},
                                       {'actions': ['initial', 'revalidation', 'change_of_information'],
                                        'applications': ['CMS-855A', 'CMS-855B', 'CMS-855S'],
                                        'example_fail': 'provider: {kind: organization, organization_type: '
                                                        'laboratory}\n'
                                                        'enrollment: {action: initial, application: CMS-855B}\n'
                                                        'documents:\n'
                                                        '  - {type: irs_cp575, file: docs/irs-cp575.pdf}\n',
                                        'example_pass': 'documents:\n'
                                                        '  - {type: application_fee_receipt, file: '
                                                        'docs/application-fee-receipt.pdf}\n',
                                        'hint': 'Pay the fee for the year of submission on pay.gov (or in PECOS) '
                                                'and attach the receipt (`type: application_fee_receipt`), or '
                                                'attach a written hardship request with its documentation (`type: '
                                                'hardship_request`).',
                                        'id': 'DOC007',
                                        'kinds': ['individual', 'organization'],
                                        'message': 'no application fee receipt or hardship request ({types}) is '
                                                   'listed; this {application} applicant pays the fee (action '
                                                   '`{action}`)',
                                        'rationale': 'Institutional providers (42 CFR 424.502: everyone on the '
                                                     'CMS-855A and CMS-855S, and CMS-855B suppliers other than '
                                                     'physician and non-physician practitioner organizations) pay '
                                                     'the application fee when they enroll initially, revalidate, '
                                                     'or add a new practice location (42 CFR 424.514; every annual '
                                                     'fee notice, e.g. CY2024 88 FR 76754, CY2026 90 FR 55738). An '
                                                     'added location is a change of information with a `changes[]` '
                                                     'entry of kind `practice_location` and `location: added`; a '
                                                     'move or a removal owes no fee. A hardship request must '
                                                     'accompany the application or it is ignored. An 855B without '
                                                     '`provider.organization_type` is not checked.\n',
                                        'require': {'document': ['application_fee_receipt', 'hardship_request']},
                                        'severity': 'error',
                                        'source': '42 CFR 424.514; 42 CFR 424.502 (institutional provider); fee '
                                                  'notices 88 FR 76754 (CY2024), 90 FR 55738 (CY2026); [S31] NGS '
                                                  'application fee decision tree; [S32] Noridian JF-A application '
                                                  'fee & hardship',
                                        'title': 'Application fee receipt or hardship request missing',
                                        'when': {'any_of': [{'any_of': [],
                                                             'tests': {'$application': {'one_of': ['CMS-855A',
                                                                                                   'CMS-855S']}}},
                                                            {'any_of': [],
                                                             'tests': {'provider.organization_type': {'not_in': ['group_practice',
                                                                                                                 'clinic',
                                                                                                                 'mdpp_supplier'],
                                                                                                      'present': True}}}],
                                                 'not_': {'any_of': [],
                                                          'not_': {'any_of': [],
                                                                   'tests': {'changes[*].location': {'equals': 'added'}}},
                                                          'tests': {'enrollment.action': {'equals': 'change_of_information'}}},
                                                 'tests': {}}},
                                       {'actions': ['initial', 'revalidation', 'reactivation'],
                                        'applications': [],
                                        'example_fail': 'provider: {kind: organization, organization_type: '
                                                        'laboratory}\n'
                                                        'documents:\n'
                                                        '  - {type: irs_cp575, file: docs/irs-cp575.pdf}\n',
                                        'example_pass': 'documents:\n'
                                                        '  - {type: clia_certificate, file: '
                                                        'docs/clia-certificate.pdf, expires: 2028-10-19}\n',
                                        'hint': 'Attach the current CLIA certificate (`type: clia_certificate`) '
                                                'with its expiry date.',
                                        'id': 'DOC013',
                                        'kinds': ['individual', 'organization'],
                                        'message': 'the laboratory lists no CLIA certificate (clia_certificate)',
                                        'rationale': 'Independent clinical laboratories (and any entity billing '
                                                     'laboratory tests) submit their CLIA certificate with the '
                                                     'enrollment. pecoscheck recognises a laboratory by '
                                                     '`organization_type: laboratory` or the clinical medical '
                                                     'laboratory taxonomy 291U00000X.\n',
                                        'require': {'document': ['clia_certificate']},
                                        'severity': 'error',
                                        'source': '[S19] NGS Supporting Documentation Information; [S49] Noridian '
                                                  'JE-A top reasons for delays',
                                        'title': 'Laboratory without a CLIA certificate',
                                        'when': {'any_of': [{'any_of': [],
                                                             'tests': {'provider.organization_type': {'equals': 'laboratory'}}},
                                                            {'any_of': [],
                                                             'tests': {'provider.taxonomies[*].code': {'equals': '291U00000X'}}}],
                                                 'tests': {}}},
                                       {'actions': [],
                                        'applications': [],
                                        'example_fail': 'adverse_actions:\n'
                                                        '  - {kind: license_suspension, date: 2019-04-02}\n',
                                        'example_pass': 'documents:\n'
                                                        '  - {type: adverse_action_record, file: '
                                                        'docs/board-order-2019.pdf, refers_to: '
                                                        'license_suspension}\n',
                                        'hint': 'Attach copies of each adverse action and of its resolution '
                                                '(`type: adverse_action_record`, with `refers_to` naming the '
                                                'action).',
                                        'id': 'DOC015',
                                        'kinds': ['individual', 'organization'],
                                        'message': 'a final adverse action is listed but no documentation of it '
                                                   '(adverse_action_record) is attached',
                                        'rationale': 'Anyone answering "yes" to the final adverse legal history '
                                                     'questions (the applicant, an owner or a managing party) must '
                                                     'attach documentation of the action and its resolution.\n',
                                        'require': {'document': ['adverse_action_record']},
                                        'severity': 'error',
                                        'source': '[S19] NGS Supporting Documentation Information; [S48] NGS 855I '
                                                  'managing employee tips',
                                        'title': 'Adverse action without supporting documentation',
                                        'when': {'any_of': [],
                                                 'tests': {'adverse_actions[*].kind': {'present': True}}}},
                                       {'actions': ['initial',
                                                    'revalidation',
                                                    'reactivation',
                                                    'change_of_information'],
                                        'applications': [],
                                        'example_fail': 'ownership:\n'
                                                        '  - {party: organization, name: "Lakeside Physician '
                                                        'Holdings, LLC", percent: 40, roles: [direct_owner]}\n',
                                        'example_pass': 'documents:\n'
                                                        '  - {type: ownership_chart, file: '
                                                        'docs/ownership-chart.pdf}\n',
                                        'hint': 'Attach a diagram of the ownership structure down to the '
                                                'individual owners (`type: ownership_chart`).',
                                        'id': 'DOC016',
                                        'kinds': ['organization'],
                                        'message': 'an organization is listed among the owners but no '
                                                   'organizational structure diagram (ownership_chart) is attached',
                                        'rationale': 'When the ownership section lists organizations, MACs ask for '
                                                     'an organizational structure diagram; a missing '
                                                     'organizational chart is a common reason for development.\n',
                                        'require': {'document': ['ownership_chart']},
                                        'severity': 'warning',
                                        'source': '[S19] NGS Supporting Documentation Information; [S49] Noridian '
                                                  'JE-A top reasons for delays; [S22] NGS Top Reasons Behind '
                                                  'Delays (Part A)',
                                        'title': 'Organizational owner but no ownership chart',
                                        'when': {'any_of': [],
                                                 'tests': {'ownership[*].party': {'equals': 'organization'}}}},
                                       {'actions': ['initial'],
                                        'applications': ['CMS-855I', 'CMS-855O'],
                                        'example_fail': 'provider: {kind: individual, practitioner_type: '
                                                        'nurse_practitioner}\n'
                                                        'enrollment: {action: initial}\n'
                                                        'documents:\n'
                                                        '  - {type: state_license, file: docs/mn-aprn-license.pdf, '
                                                        'refers_to: MN}\n',
                                        'example_pass': 'documents:\n'
                                                        '  - {type: diploma, file: docs/msn-diploma.pdf}\n'
                                                        '  - {type: national_certification, file: '
                                                        'docs/aanp-fnp-certification.pdf}\n',
                                        'hint': 'Attach the MSN or DNP diploma (`type: diploma`) and the national '
                                                'NP certification (`type: national_certification`).',
                                        'id': 'LIC003',
                                        'kinds': ['individual'],
                                        'message': 'a nurse practitioner enrolling for the first time lists no '
                                                   '`{types}` document; 42 CFR 410.75(b) needs an MSN or DNP '
                                                   '(diploma) and national NP certification '
                                                   '(national_certification)',
                                        'rationale': 'Under 42 CFR 410.75(b) a nurse practitioner who first gets '
                                                     'Medicare billing privileges on or after 2003-01-01 needs a '
                                                     "master's degree in nursing or a DNP and national NP "
                                                     'certification. An initial enrollment is taken as a first '
                                                     'enrollment; an NP who already billed Medicare before 2003 in '
                                                     'another jurisdiction may be grandfathered and can suppress '
                                                     'this with a reason. Each missing document is reported '
                                                     'separately. Kept an error after review (some MACs verify '
                                                     'certification with the certifying body themselves): NGS '
                                                     'lists missing NPP diplomas and national certifications among '
                                                     'the top reasons behind enrollment delays, so a first NP '
                                                     'enrollment without them is likely to be developed.\n',
                                        'require': {'all_documents': ['diploma', 'national_certification']},
                                        'severity': 'error',
                                        'source': '42 CFR 410.75(b) via [S73] FCSO nurse practitioner '
                                                  'requirements; [S21] NGS Top Reasons Behind Delays (Part B)',
                                        'title': 'Nurse practitioner without MSN/DNP and national certification '
                                                 'documents',
                                        'when': {'any_of': [],
                                                 'tests': {'provider.practitioner_type': {'equals': 'nurse_practitioner'}}}},
                                       {'actions': ['initial', 'revalidation', 'reactivation'],
                                        'applications': ['CMS-855I', 'CMS-855O'],
                                        'example_fail': 'provider: {kind: individual, practitioner_type: '
                                                        'physician_assistant}\n'
                                                        'enrollment: {action: revalidation}\n'
                                                        'documents:\n'
                                                        '  - {type: state_license, file: docs/pa-license.pdf, '
                                                        'refers_to: OR}\n',
                                        'example_pass': 'documents:\n'
                                                        '  - {type: diploma, file: docs/pa-diploma.pdf}\n'
                                                        '  - {type: national_certification, file: '
                                                        'docs/nccpa-certificate.pdf}\n',
                                        'hint': 'Attach the diploma (`type: diploma`) and the national '
                                                'certification (`type: national_certification`); MACs ask for '
                                                'both.',
                                        'id': 'LIC004',
                                        'kinds': ['individual'],
                                        'message': 'this non-physician practitioner lists no `{types}` document; '
                                                   'MACs ask for the diploma and the national certification',
                                        'rationale': 'MACs list the diploma and national board certification of '
                                                     'non-physician practitioners (nurse practitioners, clinical '
                                                     'nurse specialists, physician assistants, CRNAs, certified '
                                                     'nurse-midwives) among the credentials whose absence delays '
                                                     "an enrollment. A nurse practitioner's initial enrollment is "
                                                     'checked as an error by LIC003 instead.\n',
                                        'require': {'all_documents': ['diploma', 'national_certification']},
                                        'severity': 'warning',
                                        'source': '[S21] NGS Top Reasons Behind Delays (Part B); [S20] NGS '
                                                  'Supporting Documentation Required for Revalidations',
                                        'title': 'Non-physician practitioner without diploma or national '
                                                 'certification',
                                        'when': {'any_of': [],
                                                 'not_': {'any_of': [],
                                                          'tests': {'enrollment.action': {'equals': 'initial'},
                                                                    'provider.practitioner_type': {'equals': 'nurse_practitioner'}}},
                                                 'tests': {'provider.practitioner_type': {'one_of': ['nurse_practitioner',
                                                                                                     'clinical_nurse_specialist',
                                                                                                     'physician_assistant',
                                                                                                     'certified_registered_nurse_anesthetist',
                                                                                                     'certified_nurse_midwife']}}}}]},
                    'sha256': '560c088cb30b48a0e511ea9f362d2829a612fb8156cf0741a18c83ad090b28c3'}}
