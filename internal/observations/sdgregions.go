// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

// sdgRegion is one of the regional groupings the SDG Global Database
// reports by (UN Statistics Division, "Regional groupings used in the
// Sustainable Development Goals Report and Statistical Annex"), which are
// unions of M49 sub-regions and have M49-style codes of their own. The
// others it uses — Sub-Saharan Africa (202), Latin America and the
// Caribbean (419), Australia and New Zealand (053) — are M49 regions
// already, in the countries list.
type sdgRegion struct {
	parts []string // M49 sub-regions
	names map[string]string
}

var sdgRegions = map[string]sdgRegion{
	"747": {[]string{"015", "145"}, map[string]string{
		"en": "Northern Africa and Western Asia", "fr": "Afrique du Nord et Asie occidentale",
		"es": "África septentrional y Asia occidental", "ru": "Северная Африка и Западная Азия",
		"ar": "شمال أفريقيا وغرب آسيا", "zh": "北非和西亚"}},
	"062": {[]string{"143", "034"}, map[string]string{
		"en": "Central and Southern Asia", "fr": "Asie centrale et Asie du Sud",
		"es": "Asia central y meridional", "ru": "Центральная и Южная Азия",
		"ar": "آسيا الوسطى والجنوبية", "zh": "中亚和南亚"}},
	"753": {[]string{"030", "035"}, map[string]string{
		"en": "Eastern and South-Eastern Asia", "fr": "Asie de l'Est et du Sud-Est",
		"es": "Asia oriental y sudoriental", "ru": "Восточная и Юго-Восточная Азия",
		"ar": "شرق وجنوب شرق آسيا", "zh": "东亚和东南亚"}},
	"543": {[]string{"054", "057", "061"}, map[string]string{
		"en": "Oceania (excluding Australia and New Zealand)",
		"fr": "Océanie (à l'exclusion de l'Australie et de la Nouvelle-Zélande)",
		"es": "Oceanía (excepto Australia y Nueva Zelandia)",
		"ru": "Океания (за исключением Австралии и Новой Зеландии)",
		"ar": "أوقيانوسيا (باستثناء أستراليا ونيوزيلندا)", "zh": "大洋洲(不包括澳大利亚和新西兰)"}},
	"513": {[]string{"150", "021"}, map[string]string{
		"en": "Europe and Northern America", "fr": "Europe et Amérique du Nord",
		"es": "Europa y América septentrional", "ru": "Европа и Северная Америка",
		"ar": "أوروبا وأمريكا الشمالية", "zh": "欧洲和北美"}},
}
