# ruff: noqa: E501  (a bundle has one paragraph a line, as the sources do)
"""Bilingual test fixtures: a Spanish original, its English translation, a Spanish report.

Written for these tests (the example archive's sources are real and stay so).
The English text translates the Spanish one sentence by sentence, except that
it adds one clause (to the sentence on the next meeting) and splits one
sentence (the one on smuggling and trade) in two. The report is another text
on the same day naming the same officials, and quoting a few words.
"""

from __future__ import annotations

ORIGINAL = """\
Secretaría de Relaciones Exteriores
Ciudad de México
28 de diciembre de 2023
Comunicado conjunto México-Estados Unidos sobre migración
El presidente Andrés Manuel López Obrador recibió en Palacio Nacional al secretario de Estado, Antony Blinken, y al secretario de Seguridad Nacional, Alejandro Mayorkas.
Ambos países reafirmaron sus compromisos de promover una migración ordenada, humana y regular. Las delegaciones acordaron atender las causas estructurales de la migración, como la pobreza, la desigualdad y la violencia.
La cooperación incluye esfuerzos para desarticular las redes de tráfico de personas, y ambas delegaciones coincidieron en la importancia de mantener el comercio bilateral en la frontera común.
El presidente López Obrador destacó la necesidad de invertir en programas de desarrollo en toda la región. La canciller Alicia Bárcena señaló que México recibirá a 30 mil personas refugiadas en 2024.
Las delegaciones acordaron reunirse nuevamente en Washington en enero de 2024.
"""

TRANSLATION = """\
Embassy of the United States in Mexico
Mexico City
28 December 2023
Mexico-United States Joint Communiqué on Migration
President Andrés Manuel López Obrador received Secretary of State Antony Blinken and Secretary of Homeland Security Alejandro Mayorkas at the National Palace.
Both countries reaffirmed their commitments to promote orderly, humane and regular migration. The delegations agreed to address the root causes of migration, such as poverty, inequality and violence.
Cooperation includes efforts to dismantle human smuggling networks. Both delegations agreed on the importance of maintaining bilateral trade on the shared border.
President López Obrador stressed the need to invest in development programs throughout the region. Foreign Secretary Alicia Bárcena said that Mexico will receive 30,000 refugees in 2024.
The delegations agreed to meet again in Washington in January 2024, where they will review the results of the new border measures.
"""

# The clause only the English text has.
ADDED_CLAUSE = "where they will review the results of the new border measures"

REPORT = """\
El Universal
Ciudad de México
28 de diciembre de 2023
Blinken y Mayorkas, en Palacio Nacional
Por Laura Gómez
Antony Blinken y Alejandro Mayorkas llegaron este jueves a Palacio Nacional poco después de las 11 de la mañana, en medio de un fuerte operativo de seguridad.
Es la segunda visita de Blinken a México en 2023 y la primera de Mayorkas desde la crisis en la frontera de Ciudad Juárez.
Afuera del recinto, decenas de migrantes venezolanos esperaban noticias sobre los permisos de tránsito.
Según fuentes de la cancillería, Alicia Bárcena insistió en que la migración debe ser ordenada, humana y regular, y pidió mayor apoyo para el sur del país.
El presidente Andrés Manuel López Obrador no ofreció declaraciones al término del encuentro, que duró casi tres horas.
Los funcionarios estadounidenses viajaron después a Washington.
"""
