package corpus

import "embed"

// themeFS is the Hugo theme written under themes/bench/. Its templates do
// what sxsh's default layouts do (hreflang alternates, menu, dates, terms,
// paginated lists) so that the two build times compare like for like.
//
//go:embed all:hugotheme
var themeFS embed.FS

const themeRoot = "hugotheme"

// siteTOML is the sxsh configuration. sxsh rejects unknown keys, so it holds
// exactly the settings sxsh knows.
const siteTOML = `baseURL = "http://localhost/"
defaultLanguage = "vi"
paginate = 10
[languages.vi]
languageName = "Tiếng Việt"
title = "Sản xuất sạch hơn (bench)"
weight = 1
[languages.en]
languageName = "English"
title = "Cleaner production (bench)"
weight = 2
[taxonomies.categories]
vi = "chuyen-muc"
en = "categories"
[taxonomies.tags]
vi = "the"
en = "tags"
`

// hugoTOML is the same site for Hugo 0.111. buildFuture keeps Hugo from
// dropping articles dated after the day of the run, which sxsh would build.
const hugoTOML = `baseURL = "http://localhost/"
title = "Sản xuất sạch hơn (bench)"
theme = "bench"
defaultContentLanguage = "vi"
paginate = 10
buildFuture = true
enableRobotsTXT = true

[taxonomies]
category = "categories"
tag = "tags"

[languages.vi]
languageName = "Tiếng Việt"
title = "Sản xuất sạch hơn (bench)"
weight = 1

[languages.en]
languageName = "English"
title = "Cleaner production (bench)"
weight = 2
`

const homeVI = `+++
title = "Sản xuất sạch hơn"
+++

Trang thông tin về **sản xuất sạch hơn** và sử dụng năng lượng tiết kiệm, hiệu quả trong công nghiệp tỉnh Đồng Nai.
`

const homeEN = `+++
title = "Cleaner production"
+++

News on **cleaner production** and efficient energy use in the industry of Đồng Nai province.
`

const sectionVI = `+++
title = "Tin tức"
slug = "tin-tuc"
+++

Tin tức, hướng dẫn và kết quả các hoạt động sản xuất sạch hơn, tiết kiệm năng lượng.
`

const sectionEN = `+++
title = "News"
slug = "news"
+++

News, guidance and results of cleaner production and energy-saving activities.
`
