package vitext

// MaxSlugLen is the longest slug Slug returns, in bytes.
const MaxSlugLen = 80

// Slug returns an ASCII URL segment for s: Fold, then every run of
// characters other than a-z and 0-9 becomes one '-', trimmed of '-' at both
// ends, and cut at a '-' to at most MaxSlugLen bytes. "Tiêu đề" → "tieu-de";
// "Sản xuất sạch hơn 2016–2020" → "san-xuat-sach-hon-2016-2020". Text with no
// Latin letters or digits gives "".
func Slug(s string) string {
	f := Fold(s)
	b := make([]byte, 0, min(len(f), MaxSlugLen+1))
	dash := false
	for i := 0; i < len(f) && len(b) <= MaxSlugLen; i++ {
		c := f[i]
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			if dash && len(b) > 0 {
				b = append(b, '-')
			}
			dash = false
			b = append(b, c)
		} else {
			dash = true
		}
	}
	if len(b) > MaxSlugLen {
		cut := MaxSlugLen
		for j := MaxSlugLen; j > 0; j-- {
			if b[j] == '-' {
				cut = j
				break
			}
		}
		b = b[:cut]
	}
	return string(b)
}
