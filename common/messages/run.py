"""The scripts' own lines: errors, a part not written yet, divergence, stopping, the test's figures."""

MESSAGES = {
    # --lang, in every command's --help
    "help_lang": {
        "en": "language of the messages and --help: en (the default) or ja; without it, a Japanese locale "
              "(LANG=ja_JP.UTF-8) chooses ja",
        "ja": "メッセージと --help の言語: en（既定）か ja。指定しなければ日本語ロケール（LANG=ja_JP.UTF-8）で ja になります",
    },
    # common/errors.py: how a run ends on a user mistake
    "error": {
        "en": "error: {message}",
        "ja": "エラー: {message}",
    },
    "interrupted": {
        "en": "interrupted",
        "ja": "中断しました",
    },
    "not_implemented_at_todo": {
        "en": "not implemented yet: {what} (see the TODO at {place})",
        "ja": "未実装: {what}（{place} の TODO を埋めてください）",
    },
    "not_implemented_raised_at": {
        "en": "not implemented yet: {what} (raised at {place})",
        "ja": "未実装: {what}（{place} で送出）",
    },
    "not_implemented": {
        "en": "not implemented yet: {what}",
        "ja": "未実装: {what}",
    },
    # common/watch.py: a loss or a weight that is no longer a number
    "loss_not_finite": {
        "en": "{name} became {value} at iteration {iteration}: {advice}",
        "ja": "{name} が {iteration} 回目の反復で {value} になりました: {advice}",
    },
    "weights_not_finite": {
        "en": "{name} holds NaN or infinity at iteration {iteration} and these weights were not saved: {advice}",
        "ja": "{iteration} 回目の反復で {name} が NaN か無限大を含んだため、この重みは保存していません: {advice}",
    },
    "outputs_not_finite": {
        "en": "the network's outputs became NaN or infinite at iteration {iteration}: {advice}",
        "ja": "{iteration} 回目の反復でネットワークの出力が NaN か無限大になりました: {advice}",
    },
    "advice_early": {
        "en": "so early points to the code, not the learning rate: gradients never cleared (zero_grad() / "
              "cleargrads()), a log or a division by 0, a missing activation; `python -m common.check` names such "
              "mistakes; if your code passes it, try {lower}",
        "ja": "ここまで早い発散は学習率ではなくコードの誤りを示します。勾配を消していない（zero_grad() / "
              "cleargrads()）、0 の log や 0 による割り算、活性化関数の付け忘れなどです。`python -m common.check` "
              "がこうした誤りを指摘します。チェッカーを通るなら {lower} を試してください",
    },
    "advice_lower_lr": {
        "en": "training diverged, the learning rate {lr} is too high for this run; try {lower}",
        "ja": "学習が発散しました。この実行には学習率 {lr} が大きすぎます。{lower} を試してください",
    },
    "diverged_and_kept": {
        "en": "{message}. {note}",
        "ja": "{message}。{note}",
    },
    "checkpoint_kept": {
        "en": "The checkpoint of iteration {iteration} is kept",
        "ja": "{iteration} 回目の反復のチェックポイントは残してあります",
    },
    "no_checkpoint_yet": {
        "en": "No checkpoint was saved before it",
        "ja": "それまでにチェックポイントは保存されていません",
    },
    # ----- common/cli.py: the scripts' --help ------------------------------------------------------
    "cli_description": {
        "en": "Train and test the {model} in {framework}. With neither --train nor --test it trains, then tests.",
        "ja": "{framework} で {model} を学習し、テストします。--train も --test も付けなければ、学習してからテストします。",
    },
    "group_training": {"en": "training", "ja": "学習"},
    "group_data": {"en": "data", "ja": "データ"},
    "group_output": {"en": "output", "ja": "出力"},
    "help_train": {
        "en": "only train (and save the checkpoint)",
        "ja": "学習だけを行う（チェックポイントは保存する）",
    },
    "help_test": {
        "en": "only test, from the checkpoint in --out",
        "ja": "--out のチェックポイントを読み込んでテストだけを行う",
    },
    "help_iters": {
        "en": "training iterations, 0 is allowed (default: {defaults})",
        "ja": "学習の反復回数。0 も指定できる（既定: {defaults}）",
    },
    "help_batch_size": {
        "en": "images per mini-batch (default: {defaults})",
        "ja": "ミニバッチ 1 つあたりの画像の枚数（既定: {defaults}）",
    },
    "help_lr": {
        "en": "Adam learning rate (default: {defaults})",
        "ja": "Adam の学習率（既定: {defaults}）",
    },
    "help_seed": {
        "en": "seed for weights, batches, augmentation and noise",
        "ja": "重みの初期値、ミニバッチの選び方、データ拡張、ノイズに使う乱数のシード",
    },
    "help_resume": {
        "en": "continue from the checkpoint in --out up to --iters",
        "ja": "--out のチェックポイントから学習を再開し、--iters 回まで続ける",
    },
    "help_save_every": {
        "en": "write the checkpoint every N iterations (0: only at the end)",
        "ja": "N 反復ごとにチェックポイントを書く（0: 最後にだけ書く）",
    },
    "help_sample_every": {
        "en": "write an intermediate sample image every N iterations (0: never)",
        "ja": "N 反復ごとに途中経過のサンプル画像を書く（0: 書かない）",
    },
    "help_gif": {
        "en": "GANs: write a GIF of the sample grid during training (frames every --sample-every iterations, or "
              "1/20 of the run when that is 0)",
        "ja": "GAN のみ: 学習中のサンプルのグリッドを GIF アニメにする（コマは --sample-every 反復ごと、それが 0 なら"
              "学習全体の 1/20 ごと）",
    },
    "help_init_weights": {
        "en": "start from this canonical weight file",
        "ja": "この正準重みのファイルから学習を始める",
    },
    "help_export_weights": {
        "en": "write the canonical weight file after training",
        "ja": "学習のあとで正準重みのファイルを書き出す",
    },
    "help_dataset": {
        "en": "name of a folder under Dataset/ (default: the built-in digits); mnist, fashion-mnist and cifar10 are "
              "downloaded and checked on first use",
        "ja": "Dataset/ の下のフォルダ名（既定: 内蔵の手書き数字 digits）。mnist、fashion-mnist、cifar10 は最初に"
              "使うときにダウンロードして検証する",
    },
    "help_base_url": {
        "en": "a mirror for that first download of mnist, fashion-mnist or cifar10: files are fetched from "
              "URL/<file name> (default: $MNIST_BASE_URL, $FASHION_MNIST_BASE_URL or $CIFAR10_BASE_URL, else the "
              "official locations)",
        "ja": "mnist、fashion-mnist、cifar10 を最初にダウンロードするときのミラー。各ファイルを URL/<ファイル名> から"
              "取得する（既定: $MNIST_BASE_URL、$FASHION_MNIST_BASE_URL、$CIFAR10_BASE_URL のいずれか。なければ"
              "公式の配布元）",
    },
    "help_data": {
        "en": "training images folder (overrides --dataset)",
        "ja": "学習画像のフォルダ（--dataset より優先）",
    },
    "help_test_data": {
        "en": "test images folder (overrides --dataset)",
        "ja": "テスト画像のフォルダ（--dataset より優先）",
    },
    "help_size": {
        "en": "images are resized to SIZE x SIZE (default: {defaults})",
        "ja": "画像を SIZE x SIZE ピクセルにリサイズする（既定: {defaults}）",
    },
    "help_channels": {
        "en": "3 for RGB, 1 for gray (default: {defaults})",
        "ja": "RGB なら 3、グレースケールなら 1（既定: {defaults}）",
    },
    "help_no_augment": {
        "en": "switch every augmentation off (one named, e.g. --hflip, stays on)",
        "ja": "データ拡張をすべてオフにする（--hflip のように個別に指定したものはオンのまま）",
    },
    "help_augmentation": {
        "en": "switch the {what} on or off (default: on for {kinds})",
        "ja": "{what}をオンまたはオフにする（既定: {kinds} でオン）",
    },
    "augmentation_hflip": {"en": "horizontal flip", "ja": "左右反転"},
    "augmentation_vflip": {"en": "vertical flip", "ja": "上下反転"},
    "augmentation_rotate": {"en": "rotation by any angle", "ja": "任意の角度の回転"},
    "augmentation_scale": {"en": "zoom (scale/crop)", "ja": "ズーム（拡大縮小と切り抜き）"},
    "augmentation_color": {"en": "brightness/contrast", "ja": "明るさとコントラストの変更"},
    "help_augmentation_never": {
        "en": "switch the {what} on or off (default: on for none)",
        "ja": "{what}をオンまたはオフにする（既定: どのデータセットでもオフ）",
    },
    "list_and": {"en": " and ", "ja": " と "},
    "list_comma": {"en": ", ", "ja": "、"},
    "help_out": {
        "en": "folder for images, metrics and the checkpoint",
        "ja": "画像、評価値（metrics.json）、チェックポイントを書き出すフォルダ",
    },
    "help_device": {
        "en": "auto uses a GPU when the framework sees one",
        "ja": "auto なら、フレームワークが GPU を認識したときに GPU を使う",
    },
    # ----- common/cli.py: a flag's value refused before anything runs ------------------------------
    "bad_iters": {
        "en": "--iters must be 0 or more, got {value}",
        "ja": "--iters には 0 以上を指定してください（指定値: {value}）",
    },
    "bad_seed": {
        "en": "--seed must be 0 or more, got {value}",
        "ja": "--seed には 0 以上を指定してください（指定値: {value}）",
    },
    "bad_batch_size": {
        "en": "--batch-size must be at least 1, got {value}",
        "ja": "--batch-size には 1 以上を指定してください（指定値: {value}）",
    },
    "bad_gan_batch_size": {
        "en": "--batch-size must be at least 2 for the GANs: BatchNorm needs two samples for a variance",
        "ja": "GAN では --batch-size を 2 以上にしてください: バッチ正規化で分散を求めるにはサンプルが 2 つ以上必要です",
    },
    "bad_lr": {
        "en": "--lr must be positive, got {value}",
        "ja": "--lr には正の値を指定してください（指定値: {value}）",
    },
    "bad_every": {
        "en": "--save-every and --sample-every must be 0 or more",
        "ja": "--save-every と --sample-every には 0 以上を指定してください",
    },
    "bad_size": {
        "en": "--size must be at least 4, got {value}",
        "ja": "--size には 4 以上を指定してください（指定値: {value}）",
    },
    "bad_size_convae": {
        "en": "--size must be a multiple of 4 for the ConvAE (two 2x poolings), got {value}",
        "ja": "ConvAE では --size を 4 の倍数にしてください（2 倍のプーリングが 2 回あるため）。指定値: {value}",
    },
    "bad_size_dcgan": {
        "en": "--size must be a multiple of 16 for the DCGAN (four 2x steps), got {value}; try {suggestion}",
        "ja": "DCGAN では --size を 16 の倍数にしてください（解像度を 2 倍にする段が 4 つあるため）。指定値: {value}。"
              "--size {suggestion} を試してください",
    },
    "no_init_weights_file": {
        "en": "--init-weights {path}: no such file",
        "ja": "--init-weights {path}: そのファイルはありません",
    },
    "resume_with_init_weights": {
        "en": "--resume and --init-weights exclude each other: a resumed run starts from its checkpoint",
        "ja": "--resume と --init-weights は同時に指定できません: 再開した学習はチェックポイントから始まります",
    },
    # ----- common/outputs.py, common/harness.py: what a run wrote and what its test measured ------
    "test_reconstruction": {
        "en": "test: PSNR {psnr:.2f} dB, SSIM {ssim:.4f} over {count} images; wrote {path}",
        "ja": "テスト: {count} 枚の平均で PSNR {psnr:.2f} dB、SSIM {ssim:.4f}。{path} を書き出しました",
    },
    "test_digit_score": {
        "en": "test: {share:.0%} of the {count} samples are confidently digits, {kinds_of_ten}, precision "
              "{precision:.0%}, recall {recall:.0%} (real test digits: {real_share:.0%}, {real_kinds} kinds, precision "
              "{real_precision:.0%}, recall {real_recall:.0%})",
        "ja": "テスト: サンプル {count} 枚のうち {share:.0%} が確信をもって数字と判定され（{kinds_of_ten}）、適合率 "
              "{precision:.0%}、再現率 {recall:.0%}（本物のテスト数字では {real_share:.0%}、{real_kinds} 種類、適合率 "
              "{real_precision:.0%}、再現率 {real_recall:.0%}）",
    },
    "kinds_of_ten_one": {"en": "{kinds} kind of 10", "ja": "10 種類中 {kinds} 種類"},
    "kinds_of_ten_many": {"en": "{kinds} kinds of 10", "ja": "10 種類中 {kinds} 種類"},
    "test_verdict": {
        "en": "test: verdict: {verdict}",
        "ja": "テスト: 判定: {verdict}",
    },
    "test_swd": {
        "en": "test: sliced Wasserstein distance {swd:.4f} (real vs real {real:.4f}); wrote {path}",
        "ja": "テスト: スライス Wasserstein 距離 {swd:.4f}（本物どうしでは {real:.4f}）。{path} を書き出しました",
    },
    "wrote_gif": {
        "en": "wrote {path} ({frames} frames)",
        "ja": "{path} を書き出しました（{frames} コマ）",
    },
    "wrote_weights": {
        "en": "wrote canonical weights to {path}",
        "ja": "正準重みを {path} に書き出しました",
    },
    # common/digit_score.py: the verdict on a GAN's samples (metrics.json keeps the English one)
    "sample_not_digits": {
        "en": "not digits yet: noise, blobs or smudges",
        "ja": "まだ数字になっていません: ノイズ、塊、にじみです",
    },
    "sample_mode_collapse_one": {
        "en": "mode collapse: {kinds} kind, covering {recall:.0%} of the real digits",
        "ja": "モード崩壊: {kinds} 種類だけで、本物の数字の {recall:.0%} しか覆っていません",
    },
    "sample_mode_collapse_many": {
        "en": "mode collapse: {kinds} kinds, covering {recall:.0%} of the real digits",
        "ja": "モード崩壊: {kinds} 種類だけで、本物の数字の {recall:.0%} しか覆っていません",
    },
    "sample_partial_collapse": {
        "en": "partial collapse: digits of {kinds} kinds, but a few shapes dominate (covering {recall:.0%} of the "
              "real digits)",
        "ja": "部分的な崩壊: {kinds} 種類の数字ですが、少数の形が大半を占めています（本物の数字の {recall:.0%} を覆う）",
    },
    "sample_digits": {
        "en": "digits of {kinds} kinds",
        "ja": "{kinds} 種類の数字",
    },
    "digit_judge_not_cached": {
        "en": "warning: cannot cache the digit judge in {folder} ({error}); it is trained again next time",
        "ja": "警告: 数字の判定器を {folder} に保存できません（{error}）。次回もう一度学習します",
    },
    # ----- common/watch.py, common/training_run.py: a stop request, a GAN that stopped learning ----
    "stop_requested": {
        "en": "{signal}: finishing this step, then saving a checkpoint (press Ctrl-C again to stop at once)",
        "ja": "{signal}: この反復を終えてからチェックポイントを保存します（すぐに止めるには、もう一度 Ctrl-C を押してください）",
    },
    "stopped": {
        "en": "stopped after iteration {done} of {total}; the checkpoint is saved. Continue with:\n  {command}",
        "ja": "{total} 回中 {done} 回目の反復のあとで止めました。チェックポイントは保存してあります。続きは次のコマンドで:\n"
              "  {command}",
    },
    "reading_guide": {
        "en": "README.md, section \"How to read the results\"",
        "ja": "README.ja.md の「結果の読み方」",
    },
    "gan_saturated": {
        "en": "warning: at iteration {iteration} the losses sit at the saturation of the cross-entropy (D {d_loss:.1f}, "
              "G {g_loss:.1f}): D's outputs are pinned at 0 or 1 and no gradient gets through; lower --lr. See {guide}",
        "ja": "警告: {iteration} 回目の反復で、損失が交差エントロピーの飽和値に張り付いています（D {d_loss:.1f}、"
              "G {g_loss:.1f}）。識別器 D の出力が 0 か 1 に固定され、勾配が流れていません。--lr を下げてください。"
              "詳しくは {guide}を参照してください",
    },
    "gan_d_wins": {
        "en": "warning: D wins outright since about iteration {since} (D's loss {d_loss:.3f}, G's {g_loss:.1f} and "
              "climbing): G gets almost no gradient and its samples stop improving; a lower --lr usually helps. "
              "See {guide}",
        "ja": "警告: {since} 回目の反復あたりから識別器 D が完全に勝っています（D の損失 {d_loss:.3f}、G の損失 "
              "{g_loss:.1f} で上昇中）。生成器 G にはほとんど勾配が届かず、サンプルが良くなりません。たいていは --lr を"
              "下げると改善します。詳しくは {guide}を参照してください",
    },
    # ----- common/compare.py -----------------------------------------------------------------------
    "compare_description": {
        "en": "Compare a results folder with the reference outputs in answers/.",
        "ja": "結果のフォルダを answers/ にある解答の出力と比べます。",
    },
    "compare_epilog": {
        "en": "figures: psnr (dB, higher is better: 20 is visibly blurry, 30 close) and ssim (1 = the same\n"
              "structure) of the test reconstructions; digit_share (share of samples a digit classifier is at\n"
              "least 80% sure of) and digit_kinds (how many of the 10 digits appear): one kind with a high share\n"
              "is mode collapse; digit_precision (share of samples that lie among real digits) and digit_recall\n"
              "(share of real digits some sample lies near: one sample drawn 64 times covers none); swd (patch\n"
              "distance to the training images, lower is better). Losses are the mean of the last 10% of the\n"
              "run. The images column is the PSNR between each of your PNGs and the answer's PNG of the same\n"
              "name: above 40 dB they look the same, \"identical\" means not one pixel differs (PSNR would be\n"
              "infinite; metrics.json caps it at 100 dB). The verdict line says what to do next.",
        "ja": "数値: psnr（dB。高いほど良い。20 ではっきりぼやけ、30 でかなり近い）と ssim（1 なら構造が同じ）は"
              "テスト画像の再構成の値。digit_share（数字の分類器が 80% 以上の確信で数字と判定したサンプルの割合）と "
              "digit_kinds（10 種類の数字のうち現れた種類の数）: 割合が高くても 1 種類ならモード崩壊。"
              "digit_precision（適合率: 本物の数字の間に位置するサンプルの割合）と digit_recall（再現率: 近くに"
              "いずれかのサンプルがある本物の数字の割合。1 つのサンプルを 64 回描いても、どの数字も覆えない）。"
              "swd（学習画像とのパッチの距離。低いほど良い）。損失は学習の最後の 10% の平均。images の列は、"
              "自分の PNG と同じ名前の解答の PNG との PSNR: 40 dB を超えれば見た目は同じで、\"identical\" は "
              "1 ピクセルも違わないこと（PSNR は無限大になるが、metrics.json では 100 dB で打ち切る）。"
              "最後の判定の行が、次に何をすればよいかを示します。",
    },
    "help_compare_results": {
        "en": "folder written by the scripts' --out",
        "ja": "スクリプトが --out に書いたフォルダ",
    },
    "help_compare_answers": {
        "en": "reference folder (default: {answers})",
        "ja": "解答のフォルダ（既定: {answers}）",
    },
    "help_compare_model": {
        "en": "only this model (ae, convae, gan, dcgan)",
        "ja": "このモデルだけを比べる（ae, convae, gan, dcgan）",
    },
    "help_compare_framework": {
        "en": "only this framework (pytorch, tensorflow, keras, chainer)",
        "ja": "このフレームワークだけを比べる（pytorch, tensorflow, keras, chainer）",
    },
    "compare_no_results_folder": {
        "en": "results folder {results} does not exist: run a script with --out {results} first",
        "ja": "結果のフォルダ {results} がありません: 先に --out {results} を付けてスクリプトを実行してください",
    },
    "compare_no_answers_folder": {
        "en": "answers folder {answers} does not exist: pass --answers DIR",
        "ja": "解答のフォルダ {answers} がありません: --answers DIR で指定してください",
    },
    "compare_nothing": {
        "en": "no *{suffix} in {answers} for the chosen model/framework: nothing to compare",
        "ja": "{answers} に、選んだモデルとフレームワークの *{suffix} がありません: 比べるものがありません",
    },
    "compare_not_run": {
        "en": "not run (no *{suffix} in {results}): {runs}; --model and --framework choose what to compare",
        "ja": "未実行（{results} に *{suffix} がありません）: {runs}。比べる対象は --model と --framework で選べます",
    },
    "compare_no_counterpart": {
        "en": "no result in {results} has a counterpart in {answers}",
        "ja": "{results} の結果には、{answers} に対応する解答が 1 つもありません",
    },
    "compare_unreadable_png": {
        "en": "unreadable PNG: {name}",
        "ja": "PNG を読めません: {name}",
    },
    "compare_size_differs": {
        "en": "size differs ({width}x{height} vs {answer_width}x{answer_height}): {name}",
        "ja": "大きさが違います（結果 {width}x{height}、解答 {answer_width}x{answer_height}）: {name}",
    },
    "compare_missing_pngs": {
        "en": "missing in {results}: {missing} of {total} PNGs for {model}/{framework}, e.g. {examples}",
        "ja": "{results} に {model}/{framework} の PNG が {total} 枚中 {missing} 枚ありません（例: {examples}）",
    },
    "compare_other_settings": {
        "en": "warning: {model}/{framework} ran with other settings than the answer ({settings}): its figures are "
              "not the answer's to match; run the script at its defaults to compare",
        "ja": "警告: {model}/{framework} は解答と違う設定で実行されています（{settings}）。その数値は解答と比べる"
              "ものではありません。比べるには、スクリプトを既定の設定で実行してください",
    },
    "compare_setting": {
        "en": "{name} {result} (answer {answer})",
        "ja": "{name} {result}（解答は {answer}）",
    },
    "compare_verdict": {"en": "verdict: {line}", "ja": "判定: {line}"},
    # the verdicts: {run} is "model/framework", {caveat} empty or verdict_caveat
    "verdict_caveat": {
        "en": " (with other settings than the answer's)",
        "ja": "（解答と違う設定での結果）",
    },
    "verdict_no_result": {"en": "{run}: no result to judge", "ja": "{run}: 判定する結果がありません"},
    "verdict_stopped": {
        "en": "{run}: the run stopped early ({stopped})",
        "ja": "{run}: 学習が途中で止まりました（{stopped}）",
    },
    "verdict_psnr_good": {
        "en": "{run}: as good as the answer{caveat}: PSNR {result:.1f} dB against {answer:.1f}",
        "ja": "{run}: 解答と同じくらい良い結果です{caveat}: PSNR {result:.1f} dB（解答は {answer:.1f} dB）",
    },
    "verdict_psnr_below": {
        "en": "{run}: below the answer by {gap:.1f} dB{caveat}: train longer, or check the step with common.check",
        "ja": "{run}: 解答より {gap:.1f} dB 低い結果です{caveat}: もっと長く学習するか、common.check で学習ステップを"
              "確かめてください",
    },
    "verdict_no_figure": {"en": "{run}: no figure to judge by", "ja": "{run}: 判定に使える数値がありません"},
    "verdict_swd_good": {
        "en": "{run}: patch distance {result:.3f}, at or below the answer's {answer:.3f}{caveat}",
        "ja": "{run}: パッチの距離は {result:.3f} で、解答の {answer:.3f} と同じくらいかそれ以下です{caveat}",
    },
    "verdict_swd_above": {
        "en": "{run}: patch distance {result:.3f}, above the answer's {answer:.3f}{caveat}",
        "ja": "{run}: パッチの距離は {result:.3f} で、解答の {answer:.3f} より大きい値です{caveat}",
    },
    "verdict_look_at_samples": {
        "en": "{run}: {sample_verdict}{caveat}; look at the samples",
        "ja": "{run}: {sample_verdict}{caveat}。サンプル画像を見てください",
    },
    "verdict_not_digits": {
        "en": "{run}: not digits yet: {share:.0%} of the samples are digits{caveat}; look at the samples",
        "ja": "{run}: まだ数字になっていません: 数字と判定されたサンプルは {share:.0%} です{caveat}。サンプル画像を"
              "見てください",
    },
    "verdict_mode_collapse_one": {
        "en": "{run}: mode collapse: {share:.0%} digits but only {kinds} kind{caveat}",
        "ja": "{run}: モード崩壊: 数字は {share:.0%} ですが、{kinds} 種類しかありません{caveat}",
    },
    "verdict_mode_collapse_many": {
        "en": "{run}: mode collapse: {share:.0%} digits but only {kinds} kinds{caveat}",
        "ja": "{run}: モード崩壊: 数字は {share:.0%} ですが、{kinds} 種類しかありません{caveat}",
    },
    "verdict_on_par": {
        "en": "{run}: on a par with the answer{caveat}: {share:.0%} digits of {kinds} kinds{also}",
        "ja": "{run}: 解答と同等です{caveat}: 数字 {share:.0%}、{kinds} 種類{also}",
    },
    "verdict_below": {
        "en": "{run}: below the answer{caveat}: {share:.0%} digits of {kinds} kinds against {answer_share:.0%} of "
              "{answer_kinds}{also}; GAN runs vary from seed to seed, so compare the samples too",
        "ja": "{run}: 解答に届いていません{caveat}: 数字 {share:.0%}、{kinds} 種類（解答は {answer_share:.0%}、"
              "{answer_kinds} 種類）{also}。GAN の結果はシードごとにばらつくので、サンプル画像も見比べてください",
    },
    "verdict_also": {"en": " ({sample_verdict})", "ja": "（{sample_verdict}）"},
    # ----- user mistakes found in the data, the images, checkpoints and weight files ---------------
    # common/data/__init__.py
    "no_test_data_beside": {
        "en": "--data {data} has no test/images folder beside it; give the test images with --test-data DIR",
        "ja": "--data {data} の隣に test/images フォルダがありません。テスト画像を --test-data DIR で指定してください",
    },
    "no_dataset_folder_newts": {
        "en": "--dataset {name}: there is no folder {folder}; download it with: python -m common.data newts",
        "ja": "--dataset {name}: フォルダ {folder} がありません。次のコマンドでダウンロードしてください: "
              "python -m common.data newts",
    },
    "no_dataset_folder": {
        "en": "--dataset {name}: there is no folder {folder}; put images in {train} and {test}, or use --data / "
              "--test-data",
        "ja": "--dataset {name}: フォルダ {folder} がありません。画像を {train} と {test} に置くか、--data / "
              "--test-data を使ってください",
    },
    # common/data/images.py
    "image_damaged": {
        "en": "cannot read image {path}: the file is damaged or not an image; delete or replace it",
        "ja": "画像 {path} を読めません: ファイルが壊れているか、画像ではありません。削除するか差し替えてください",
    },
    "image_too_large": {
        "en": "image {path} is {width} x {height} pixels, too large to read whole ({gigabytes:.1f} GB); scale it "
              "down (e.g. to 4096 pixels) or save it as JPEG, which is read at reduced resolution",
        "ja": "画像 {path} は {width} x {height} ピクセルあり、全体を読み込むには大きすぎます（{gigabytes:.1f} GB）。"
              "縮小する（たとえば 4096 ピクセルに）か、解像度を落として読み込める JPEG で保存してください",
    },
    "image_pixel_type": {
        "en": "cannot read image {path}: pixels of type {dtype} are not supported; save it as 8- or 16-bit",
        "ja": "画像 {path} を読めません: {dtype} 型の画素には対応していません。8 ビットか 16 ビットで保存してください",
    },
    "no_image_folder": {
        "en": "image folder {folder} does not exist; check --data / --test-data, or choose another --dataset",
        "ja": "画像フォルダ {folder} がありません。--data / --test-data を確かめるか、別の --dataset を選んでください",
    },
    "not_an_image": {
        "en": "warning: skipping {path}: not an image",
        "ja": "警告: {path} は画像ではないので飛ばします",
    },
    "no_images": {
        "en": "no images ({extensions}) in {folder}; check --data / --test-data, or choose another --dataset",
        "ja": "{folder} に画像（{extensions}）がありません。--data / --test-data を確かめるか、別の --dataset を"
              "選んでください",
    },
    # common/checkpoints.py and the frameworks' support modules
    "disk_full": {
        "en": "the disk is full: {checkpoint} could not be written. The previous checkpoint is intact; free some "
              "space, then continue with the same command and --resume",
        "ja": "ディスクがいっぱいで {checkpoint} を書けませんでした。前のチェックポイントは無事です。空きを作ってから、"
              "同じコマンドに --resume を付けて続けてください",
    },
    "no_checkpoint": {
        "en": "no checkpoint {checkpoint} in {out}: train first (run without --test), or point --out at the folder "
              "of an earlier run",
        "ja": "{out} にチェックポイント {checkpoint} がありません: 先に学習する（--test を付けずに実行する）か、"
              "--out に以前の実行のフォルダを指定してください",
    },
    "checkpoint_state_damaged": {
        "en": "{path} is damaged: delete it and train again",
        "ja": "{path} が壊れています: 削除して、学習し直してください",
    },
    "checkpoint_other_size": {
        "en": "the checkpoint in {out} was trained with --size {size} --channels {channels}; pass the same flags",
        "ja": "{out} のチェックポイントは --size {size} --channels {channels} で学習されたものです。同じフラグを"
              "指定してください",
    },
    "checkpoint_mismatch": {
        "en": "{checkpoint} does not belong to {path} (a save was interrupted between the two files): train again "
              "without --resume",
        "ja": "{checkpoint} は {path} と組になっていません（2 つのファイルを保存する間に中断されました）: --resume を"
              "付けずに学習し直してください",
    },
    "not_a_checkpoint": {
        "en": "{path} is not a checkpoint of this model ({reason}); train again or pass the --size/--channels it "
              "was trained with",
        "ja": "{path} はこのモデルのチェックポイントではありません（{reason}）。学習し直すか、学習したときの "
              "--size/--channels を指定してください",
    },
    "no_cuda_pytorch": {
        "en": "--device cuda: PyTorch sees no CUDA GPU; use --device cpu or auto",
        "ja": "--device cuda: PyTorch から CUDA の GPU が見えません。--device cpu か auto を使ってください",
    },
    "no_cuda_tensorflow": {
        "en": "--device cuda: TensorFlow sees no CUDA GPU; use --device cpu or auto",
        "ja": "--device cuda: TensorFlow から CUDA の GPU が見えません。--device cpu か auto を使ってください",
    },
    "no_gpu_keras": {
        "en": "--device cuda: Keras ({backend} backend) sees no GPU; use --device cpu or auto",
        "ja": "--device cuda: Keras（{backend} バックエンド）から GPU が見えません。--device cpu か auto を使ってください",
    },
    "no_gpu_chainer": {
        "en": "--device cuda: Chainer sees no GPU (it needs CuPy and a CUDA device); use --device cpu or auto",
        "ja": "--device cuda: Chainer から GPU が見えません（CuPy と CUDA デバイスが必要です）。--device cpu か auto を"
              "使ってください",
    },
    "keras_backend": {
        "en": "KERAS_BACKEND={backend}: these scripts run on the tensorflow and torch backends",
        "ja": "KERAS_BACKEND={backend}: このスクリプトは tensorflow と torch のバックエンドでだけ動きます",
    },
    # common/weights.py: canonical weight files (--init-weights)
    "no_weight_file": {
        "en": "{path}: no such weight file",
        "ja": "{path}: その重みファイルはありません",
    },
    "not_a_weight_file": {
        "en": "{path} is not a canonical weight file (.npz): {error}",
        "ja": "{path} は正準重みのファイル（.npz）ではありません: {error}",
    },
    "weights_of_other_model": {
        "en": "{path} holds {file_model} weights, not {model}: use the {file_model} script",
        "ja": "{path} は {model} ではなく {file_model} の重みです: {file_model} のスクリプトで使ってください",
    },
    "weights_of_other_size": {
        "en": "{path} was made with --size {size} --channels {channels}; pass those flags",
        "ja": "{path} は --size {size} --channels {channels} で作られました。そのフラグを指定してください",
    },
    "weights_not_finite_in_file": {
        "en": "{path}: {name} holds NaN or infinity (weights of a run that diverged); export them again from a good "
              "checkpoint",
        "ja": "{path}: {name} が NaN か無限大を含んでいます（発散した学習の重みです）。正常なチェックポイントから"
              "書き出し直してください",
    },
    "weights_do_not_match": {
        "en": "{source} does not match the {model} at --size {size} --channels {channels}: missing {missing}, "
              "unexpected {extra}",
        "ja": "{source} は --size {size} --channels {channels} の {model} に合いません: 足りない重み {missing}、"
              "余分な重み {extra}",
    },
    "weight_shape": {
        "en": "{source}: {name} has shape {shape}, expected {expected} for --size {size} --channels {channels}",
        "ja": "{source}: {name} の形が {shape} です。--size {size} --channels {channels} では {expected} のはずです",
    },
    # common/data/digits.py
    "creating_digits": {
        "en": "creating the built-in digits dataset in {root} (first use)",
        "ja": "内蔵の手書き数字のデータセットを {root} に作ります（初回のみ）",
    },
    "digits_incomplete": {
        "en": "{root} exists but lacks train/images or test/images; delete that folder and run again to recreate "
              "the digits",
        "ja": "{root} はありますが、train/images か test/images がありません。そのフォルダを削除して実行し直すと、"
              "手書き数字を作り直します",
    },
    # ----- common/data/newts.py ---------------------------------------------------------------------------
    "newts_description": {
        "en": "Download the original exercise's 22 newt photos into Dataset/newts/ (checked by SHA-256); then train "
              "with --dataset newts.",
        "ja": "元の問題のイモリの写真 22 枚を Dataset/newts/ にダウンロードします（SHA-256 で検証）。そのあと "
              "--dataset newts で学習できます。",
    },
    "help_newts_base_url": {
        "en": "where the files are: each file's URL is BASE_URL/<path in the manifest> (default: $NEWTS_BASE_URL, "
              "else the original exercise's GitHub repository)",
        "ja": "ファイルの置き場所。各ファイルの URL は BASE_URL/<マニフェスト内のパス>（既定: $NEWTS_BASE_URL、"
              "なければ元の問題の GitHub リポジトリ）",
    },
    "help_newts_dest": {
        "en": "folder to fill (default: Dataset/newts)",
        "ja": "ファイルを置くフォルダ（既定: Dataset/newts）",
    },
    "newts_cannot_download": {
        "en": "cannot download {url}: {reason}; check the network, or give another source with --base-url (or the "
              "NEWTS_BASE_URL environment variable)",
        "ja": "{url} をダウンロードできません: {reason}。ネットワークを確かめるか、--base-url（または環境変数 "
              "NEWTS_BASE_URL）で別の取得元を指定してください",
    },
    "newts_checksum": {
        "en": "checksum mismatch for {url}: expected {expected}, got {actual}; the file was not kept",
        "ja": "{url} のチェックサムが合いません（期待値 {expected}、実際 {actual}）。ファイルは保存していません",
    },
    "newts_done": {
        "en": "newts: {files} files in {dest} ({downloaded} downloaded, {skipped} already there)",
        "ja": "newts: {dest} に {files} ファイル（ダウンロード {downloaded}、既存 {skipped}）",
    },
    # ----- common/data/datasets.py ------------------------------------------------------------------------
    "datasets_description": {
        "en": "Download MNIST, Fashion-MNIST or CIFAR-10 into Dataset/<name>/, check every file by its official "
              "checksums and by its decoded content, and write the train/test image folders.",
        "ja": "MNIST、Fashion-MNIST、CIFAR-10 のいずれかを Dataset/<name>/ にダウンロードし、すべてのファイルを"
              "公式のチェックサムと展開した中身で検証して、train/test の画像フォルダを書き出します。",
    },
    "help_datasets_base_url": {
        "en": "a mirror: each file's URL is BASE_URL/<file name> (default: $MNIST_BASE_URL, $FASHION_MNIST_BASE_URL "
              "or $CIFAR10_BASE_URL, else the official locations)",
        "ja": "ミラー。各ファイルの URL は BASE_URL/<ファイル名>（既定: $MNIST_BASE_URL、$FASHION_MNIST_BASE_URL、"
              "$CIFAR10_BASE_URL のいずれか。なければ公式の配布元）",
    },
    "help_datasets_dest": {
        "en": "folder to fill (default: Dataset/<name>)",
        "ja": "ファイルを置くフォルダ（既定: Dataset/<name>）",
    },
    "datasets_done": {
        "en": "{name}: {train:,} training and {test:,} test images in {root}; train with --dataset {name}",
        "ja": "{name}: {root} に学習画像 {train:,} 枚とテスト画像 {test:,} 枚。--dataset {name} で学習できます",
    },
    "datasets_unknown": {
        "en": "no data set {name!r} in {manifest}; choose one of {names}",
        "ja": "{manifest} にデータセット {name!r} はありません。次から選んでください: {names}",
    },
    "datasets_not_writable": {
        "en": "cannot write to {folder} ({reason}): --dataset {name} keeps its files there; make the folder "
              "writable, or download elsewhere with `python -m common.data {name} --dest DIR` and train with "
              "--data DIR/train/images",
        "ja": "{folder} に書き込めません（{reason}）: --dataset {name} はそこにファイルを置きます。フォルダを書き込み"
              "可能にするか、`python -m common.data {name} --dest DIR` で別の場所にダウンロードし、"
              "--data DIR/train/images で学習してください",
    },
    "datasets_downloading": {
        "en": "{name}: downloading {url} ({megabytes:.1f} MB)",
        "ja": "{name}: {url} をダウンロードしています（{megabytes:.1f} MB）",
    },
    "datasets_cannot_write_file": {
        "en": "cannot write {path}: {error}; free some space or make the folder writable, then run again",
        "ja": "{path} を書けません: {error}。空きを作るかフォルダを書き込み可能にしてから、実行し直してください",
    },
    "datasets_cannot_get": {
        "en": "cannot get {file} for --dataset {name}: {failures}; nothing was kept; run again to retry, or give a "
              "mirror with --base-url (or the {variable} environment variable)",
        "ja": "--dataset {name} の {file} を取得できません: {failures}。何も保存していません。もう一度実行して再試行"
              "するか、--base-url（または環境変数 {variable}）でミラーを指定してください",
    },
    "datasets_failure_separator": {"en": "; ", "ja": "。"},
    "datasets_writing": {
        "en": "{name}: writing {count:,} {split} images to {folder}",
        "ja": "{name}: {split} の画像 {count:,} 枚を {folder} に書き出しています",
    },
    "datasets_cannot_write_images": {
        "en": "cannot write the {name} images under {root}: {error}; free some space or make the folder writable, "
              "then run again",
        "ja": "{root} の下に {name} の画像を書けません: {error}。空きを作るかフォルダを書き込み可能にしてから、"
              "実行し直してください",
    },
    "datasets_damaged_file": {
        "en": "{raw}: {failure}; delete that file and run again to download it again",
        "ja": "{raw}: {failure}。そのファイルを削除して実行し直すと、もう一度ダウンロードします",
    },
    # what went wrong with one downloaded file (CheckFailed), inside the lines above
    "download_failed": {"en": "download failed: {error}", "ja": "ダウンロードに失敗しました: {error}"},
    "download_failed_after": {
        "en": "download failed after {received} bytes: {error}",
        "ja": "{received} バイト受信したところでダウンロードに失敗しました: {error}",
    },
    "download_wrong_length": {
        "en": "the server offers {offered} bytes where {expected} were expected: not the official file",
        "ja": "サーバーのファイルは {offered} バイトで、期待した {expected} バイトではありません: 公式のファイルではありません",
    },
    "download_too_long": {
        "en": "more than the expected {expected} bytes: not the official file",
        "ja": "期待した {expected} バイトより大きいファイルです: 公式のファイルではありません",
    },
    "download_truncated": {
        "en": "truncated: {received} of {expected} bytes arrived",
        "ja": "途中で切れています: {expected} バイト中 {received} バイトしか届いていません",
    },
    "download_checksum": {
        "en": "checksum mismatch: {kind} expected {expected}, got {actual}",
        "ja": "チェックサムが合いません: {kind} の期待値 {expected}、実際 {actual}",
    },
    # what is wrong inside a downloaded file (CheckFailed, common/data/datasets.py)
    "file_not_gzip": {
        "en": "{file} is not a valid gzip file ({error})",
        "ja": "{file} は正しい gzip ファイルではありません（{error}）",
    },
    "file_content_checksum": {
        "en": "checksum mismatch in the decompressed {file}: md5 expected {expected}, got {actual}",
        "ja": "展開した {file} のチェックサムが合いません: md5 の期待値 {expected}、実際 {actual}",
    },
    "file_not_idx": {
        "en": "{file} is not an IDX file of shape {shape}",
        "ja": "{file} は形 {shape} の IDX ファイルではありません",
    },
    "file_label_range": {
        "en": "{file} holds a label outside 0-{largest}",
        "ja": "{file} に 0-{largest} の範囲外のラベルがあります",
    },
    "file_unreadable_pickle": {
        "en": "{file} cannot be read: {error}",
        "ja": "{file} を読めません: {error}",
    },
    "file_not_cifar_batch": {
        "en": "{file} is not a CIFAR-10 batch",
        "ja": "{file} は CIFAR-10 のバッチではありません",
    },
    "archive_lacks": {
        "en": "{archive} lacks {member}",
        "ja": "{archive} に {member} がありません",
    },
    "archive_member_checksum": {
        "en": "checksum mismatch in {archive}: {member} md5 expected {expected}, got {actual}",
        "ja": "{archive} のチェックサムが合いません: {member} の md5 の期待値 {expected}、実際 {actual}",
    },
    "archive_classes": {
        "en": "{meta} names the classes {names}, not {classes}",
        "ja": "{meta} のクラス名が {names} で、{classes} ではありません",
    },
    "archive_count": {
        "en": "the {split} batches hold {count} images, not {expected}",
        "ja": "{split} のバッチの画像は {count} 枚で、{expected} 枚ではありません",
    },
    "archive_not_tar_gz": {
        "en": "{archive} is not a valid tar.gz file ({error})",
        "ja": "{archive} は正しい tar.gz ファイルではありません（{error}）",
    },
    "batch_shape": {
        "en": "{file} is not a CIFAR-10 batch of {height}x{width}x{channels} images with labels",
        "ja": "{file} は {height}x{width}x{channels} の画像とラベルからなる CIFAR-10 のバッチではありません",
    },
    # common/out_of_memory.py: a failed allocation, by what ran out
    "oom_gpu_at": {
        "en": "the GPU ran out of memory at iteration {iteration} (--batch-size {batch_size}, --size {size}): lower "
              "--batch-size or --size",
        "ja": "{iteration} 回目の反復で GPU のメモリが足りなくなりました（--batch-size {batch_size}、--size {size}）。"
              "--batch-size か --size を小さくしてください",
    },
    "oom_machine_at": {
        "en": "the machine ran out of memory at iteration {iteration} (--batch-size {batch_size}, --size {size}): lower "
              "--batch-size or --size",
        "ja": "{iteration} 回目の反復でマシンのメモリが足りなくなりました（--batch-size {batch_size}、--size {size}）。"
              "--batch-size か --size を小さくしてください",
    },
    "oom_gpu": {
        "en": "the GPU ran out of memory: lower --batch-size or --size",
        "ja": "GPU のメモリが足りなくなりました。--batch-size か --size を小さくしてください",
    },
    "oom_machine": {
        "en": "the machine ran out of memory: lower --batch-size or --size",
        "ja": "マシンのメモリが足りなくなりました。--batch-size か --size を小さくしてください",
    },
}
