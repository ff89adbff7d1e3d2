"""The upload's error messages (``explorer.upload.message``): full sentences, with
``{placeholders}`` filled by the parser; the same placeholders in every language."""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "too_large": "The file is {size_mb} MB ({size} bytes), but the limit is {limit_mb} MB "
        "({limit} bytes); please upload a smaller file.",
        "empty": "The file is empty.",
        "no_rows": "The file has a header line but no data rows.",
        "not_text": "The file could not be read as text; please upload a CSV file saved "
        "as UTF-8 text (spreadsheets such as .xlsx must first be saved as CSV).",
        "encoding_unknown": "The file is not UTF-8 text, and it does not read as plausible text "
        "in any other encoding tried ({tried}); please save it as UTF-8 (in a spreadsheet: "
        "CSV UTF-8) and upload it again.",
        "encoding_ambiguous": "The file is not UTF-8 text, and it reads equally well in "
        "several encodings ({candidates}), which would give different characters; please "
        "save it as UTF-8 (in a spreadsheet: CSV UTF-8) and upload it again.",
        "not_csv": "The file could not be read as a CSV table; please check that it is "
        "a comma-separated text file with a header line.",
        "ragged": "Line {line} of the file has {found} fields, but the header has "
        "{expected}; please check for extra separators or unquoted commas.",
        "too_few_columns": "The file has {n} column(s), but at least 3 are needed: two "
        "numeric feature columns and one label column.",
        "too_many_columns": "Line {line} of the file has {n} fields, but at most {max} "
        "columns are allowed; please upload only the columns you need.",
        "duplicate_column": "The header names the column '{col}' more than once (columns "
        "{first} and {second}, counting from 1); please give every column its own name.",
        "too_few_numeric": "Only {n} column(s) contain numbers ({columns}), but at least "
        "2 numeric feature columns are needed.",
        "not_finite": "The column '{col}' contains '{value}' in row {row} (the header is row "
        "1); feature values must be finite numbers.",
        "huge_value": "The feature column '{col}' contains {value} in row {row} (the header "
        "is row 1); values must lie between -{limit} and {limit} to be standardised, please "
        "rescale the column.",
        "unusable": "The feature columns '{x}' and '{y}' could not be standardised (their "
        "values are too close together or too far apart); please rescale them.",
        "too_many_rows": "The file has {n} data rows, but the limit is {max}; please "
        "upload a sample of the data.",
        "same_column": "The column '{col}' is chosen more than once; please choose three "
        "different columns for x, y and the label.",
        "missing_column": "There is no column named '{col}' in the file; the columns "
        "are: {columns}.",
        "non_numeric": "The feature column '{col}' must contain only numbers, but row "
        "{row} contains '{value}' (the header is row 1).",
        "constant": "The feature column '{col}' has the same value ({value}) in every "
        "row, so it cannot be used as a feature.",
        "missing_values": "{n} row(s) have missing values in column(s) {columns} "
        "(the first is row {row}, counting the header as row 1); please fill them in "
        "or delete those rows.",
        "single_class": "The label column '{col}' contains only one class ('{cls}'), "
        "but at least 2 classes are needed.",
        "too_many_classes": "The label column '{col}' has {n} different values, but at "
        "most {max} classes are allowed; please check that it really holds class labels.",
        "too_few_per_class": "Class '{cls}' has only {count} row(s), too few to split "
        "into training and test data; every class needs at least 2 training rows and "
        "1 test row (so at least 3 rows, more if the test fraction is small).",
        "too_few_test_rows": "With {n} rows and a test fraction of {pct}%, the test part "
        "would have only {n_test} row(s), fewer than the {k} classes; please add rows or "
        "choose a larger test fraction.",
    },
    "zh": {
        "too_large": "文件大小为 {size_mb} MB（{size} 字节），超过了 {limit_mb} MB（{limit} 字节）"
        "的上限，请上传较小的文件。",
        "empty": "文件是空的。",
        "no_rows": "文件只有表头，没有数据行。",
        "not_text": "无法将文件读取为文本；请上传以 UTF-8 文本保存的 CSV 文件"
        "（.xlsx 等电子表格需要先另存为 CSV）。",
        "encoding_unknown": "文件不是 UTF-8 文本，按已尝试的其他编码（{tried}）读取也不像正常文本；"
        "请将其另存为 UTF-8（电子表格中选择“CSV UTF-8”）后重新上传。",
        "encoding_ambiguous": "文件不是 UTF-8 文本，按几种编码（{candidates}）读取都同样合理，"
        "但得到的字符各不相同；请将其另存为 UTF-8（电子表格中选择“CSV UTF-8”）后重新上传。",
        "not_csv": "无法将文件读取为 CSV 表格；请确认它是带表头行、以逗号分隔的文本文件。",
        "ragged": "文件第 {line} 行有 {found} 个字段，但表头有 {expected} 个；"
        "请检查是否有多余的分隔符或未加引号的逗号。",
        "too_few_columns": "文件只有 {n} 列，但至少需要 3 列：两个数值特征列和一个标签列。",
        "too_many_columns": "文件第 {line} 行有 {n} 个字段，但最多只允许 {max} 列；请只上传需要的列。",
        "duplicate_column": "表头中列名“{col}”出现了不止一次（第 {first} 列和第 {second} 列，从 1 "
        "开始计数）；请为每一列取不同的名称。",
        "too_few_numeric": "只有 {n} 列包含数值（{columns}），但至少需要 2 个数值特征列。",
        "not_finite": "列“{col}”第 {row} 行的值为“{value}”（表头为第 1 行）；特征值必须是有限的数。",
        "huge_value": "特征列“{col}”第 {row} 行的值为 {value}（表头为第 1 行）；值必须在 -{limit} "
        "到 {limit} 之间才能标准化，请先缩放该列。",
        "unusable": "特征列“{x}”和“{y}”无法标准化（取值过于接近或相差过大）；请先缩放它们。",
        "too_many_rows": "文件有 {n} 行数据，超过了 {max} 行的上限；请上传部分数据样本。",
        "same_column": "列“{col}”被选择了不止一次；请为 x、y 和标签选择三个不同的列。",
        "missing_column": "文件中没有名为“{col}”的列；现有的列为：{columns}。",
        "non_numeric": "特征列“{col}”只能包含数字，但第 {row} 行的值为“{value}”（表头为第 1 行）。",
        "constant": "特征列“{col}”在每一行的值都相同（{value}），因此不能用作特征。",
        "missing_values": "列 {columns} 中有 {n} 行存在缺失值（第一处在第 {row} 行，"
        "表头为第 1 行）；请补全这些值或删除这些行。",
        "single_class": "标签列“{col}”只包含一个类别（“{cls}”），但至少需要 2 个类别。",
        "too_many_classes": "标签列“{col}”有 {n} 个不同的值，但最多只允许 {max} 个类别；"
        "请确认它确实是类别标签。",
        "too_few_per_class": "类别“{cls}”只有 {count} 行，太少，无法划分为训练数据和测试数据；"
        "每个类别至少需要 2 行训练数据和 1 行测试数据（即至少 3 行；测试比例较小时需要更多）。",
        "too_few_test_rows": "共有 {n} 行数据，测试比例为 {pct}%，测试部分只有 {n_test} 行，"
        "少于 {k} 个类别；请增加数据行或选择更大的测试比例。",
    },
}
