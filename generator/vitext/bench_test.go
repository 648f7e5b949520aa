package vitext

import (
	"strings"
	"testing"
)

// benchText is about 100 KB of Vietnamese prose of the kind the site
// indexes, with some upper case, numbers and old-style tone placement.
func benchText() string {
	paragraphs := []string{
		"Chương trình Sản xuất sạch hơn (SXSH) trong công nghiệp giúp doanh nghiệp sử dụng hiệu quả nguyên liệu, năng lượng và nước, giảm phát thải và chất thải, nâng cao năng suất và sức cạnh tranh.",
		"Năm 2023, Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Đồng Nai đã hỗ trợ 2.200 doanh nghiệp tại Biên Hòa, Long Khánh, Trảng Bom và Nhơn Trạch áp dụng giải pháp tiết kiệm điện.",
		"Theo Quyết định số 12/2023/QĐ-UBND, các cơ sở sử dụng năng lượng trọng điểm phải xây dựng kế hoạch sử dụng năng lượng tiết kiệm và hiệu quả hằng năm, báo cáo Sở Công Thương trước ngày 31/3.",
		"Hội thảo “Giải pháp tiết kiệm năng lượng trong chiếu sáng công cộng” thu hút hơn 150 đại biểu; các chuyên gia hướng dẫn thay thế đèn cao áp bằng đèn LED, lắp biến tần cho máy bơm và quạt.",
		"Ông Nguyễn Văn Hoà, Giám đốc công ty, cho biết nhờ thuỷ lực hoá dây chuyền và khoẻ hoá quy trình bảo trì, lượng điện tiêu thụ giảm 18%, tương đương 760.123 kWh mỗi năm.",
	}
	var b strings.Builder
	for i := 0; b.Len() < 100_000; i++ {
		b.WriteString(paragraphs[i%len(paragraphs)])
		b.WriteString("\n\n")
	}
	return b.String()
}

func BenchmarkTokenize(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Tokenize(text)
	}
}

func BenchmarkFold(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Fold(text)
	}
}

func BenchmarkNFC(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		NFC(text)
	}
}
