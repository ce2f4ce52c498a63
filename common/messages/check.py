"""The answer checker's sentences (common/check/checks.py, check/diagnosis.py, check/support.py), each a
str.format template in English and Japanese. The English is what tests/test_check.py matches word for
word; code that must know which sentence was said compares its key (check_diagnosis.Sentence), never
its words. Keys start with "check_"."""

MESSAGES = {
    # ----- common/check/checks.py: the command line ----------------------------------------------------
    "check_help_description": {
        "en": "The answer checker: does a file that follows common/contract.py compute what the answer does?",
        "ja": "解答チェッカー: common/contract.py に従うファイルが、解答と同じ計算をしているかを調べます",
    },
    "check_help_file": {
        "en": "the file to check, e.g. exercises/keras/dcgan.py",
        "ja": "調べるファイル（例: exercises/keras/dcgan.py）",
    },
    "check_help_framework": {
        "en": "default: the name of FILE's folder",
        "ja": "既定値: FILE があるフォルダの名前",
    },
    "check_help_train": {
        "en": "then train N iterations and show the test's figures",
        "ja": "続けて N 回反復して学習し、テストの指標を表示します",
    },
    "check_help_device": {
        "en": "for --train only (default: cpu)",
        "ja": "--train のときだけ使います（既定値: cpu）",
    },
    "check_no_framework_folder": {
        "en": "{file} is not in a folder named after a framework: give --framework ({frameworks})",
        "ja": "{file} はフレームワーク名のフォルダにありません。--framework を指定してください（{frameworks}）",
    },
    "check_no_such_file": {
        "en": "{file}: no such file",
        "ja": "{file}: そのようなファイルはありません",
    },
    "check_train_negative": {
        "en": "--train must be 0 or more, got {train}",
        "ja": "--train は 0 以上にしてください（指定された値: {train}）",
    },
    "check_checking": {
        "en": "checking {file} as the {framework} {model}, against {framework}/{model}.py (canonical weights, "
              "batch {batch}, CPU)",
        "ja": "{file} を {framework} の {model} として、{framework}/{model}.py と比べて調べます（正準重み、"
              "バッチサイズ {batch}、CPU）",
    },
    "check_ok_line": {
        "en": "  ok    {check}: {detail}",
        "ja": "  合格  {check}: {detail}",
    },
    "check_fail_line": {
        "en": "  FAIL  {check}: {sentence}",
        "ja": "  不合格  {check}: {sentence}",
    },
    "check_passed": {
        "en": "passed: {file} computes what the answer computes",
        "ja": "合格: {file} は解答と同じ計算をしています",
    },
    # the checks, in order
    "check_stage_contract": {"en": "the contract", "ja": "契約"},
    "check_stage_shapes": {"en": "parameter shapes", "ja": "パラメータの形状"},
    "check_stage_outputs": {"en": "outputs", "ja": "出力"},
    "check_stage_step": {"en": "one training step", "ja": "1 ステップの学習"},
    "check_stage_training": {"en": "a training run", "ja": "学習の実行"},
    "check_list_separator": {"en": ", ", "ja": "、"},
    # ----- 1. the contract ----------------------------------------------------------------------
    "check_contract_other": {
        "en": "{path} sets {name} = {value}, but it is checked as {asked}: fix {name}, or check it as what it is",
        "ja": "{path} は {name} = {value} としていますが、{asked} として調べようとしています。{name} を直すか、"
              "ファイルに合わせて調べ直してください",
    },
    "check_passed_contract": {
        "en": "MODEL, FRAMEWORK and every name of common/contract.py",
        "ja": "MODEL、FRAMEWORK と common/contract.py のすべての名前",
    },
    # ----- 2. parameter shapes ------------------------------------------------------------------
    "check_build_model_none": {
        "en": "your build_model returned None: it must return the network",
        "ja": "build_model が None を返しました。ネットワークを返す必要があります",
    },
    "check_weights_round_trip": {
        "en": "after set_weights, get_weights gives back another {name} than was loaded: the two must convert "
              "between the framework's layout and common/weights.py's in opposite directions",
        "ja": "set_weights の後の get_weights が、読み込ませたものとは違う {name} を返します。この 2 つの関数は、"
              "フレームワークの並びと common/weights.py の並びの間を互いに逆向きに変換する必要があります",
    },
    "check_passed_shapes": {
        "en": "the table's {count} tensors at {size}x{size}x{channels}; set_weights and get_weights agree",
        "ja": "{size}x{size}x{channels} での表の {count} 個のテンソル。set_weights と get_weights が整合しています",
    },
    # ----- 3. outputs ---------------------------------------------------------------------------
    "check_output_differs": {
        "en": "{what} differs from the reference by up to {largest}: {advice}",
        "ja": "{what}が参照実装と最大 {largest} 違います。{advice}",
    },
    "check_output_differs_at": {
        "en": "{what} differs from the reference by up to {largest} ({where}): {advice}",
        "ja": "{what}が参照実装と最大 {largest} 違います（{where}）。{advice}",
    },
    # what was compared: in Japanese each ends in 出力 or a parenthesis, so that が or の follows it directly
    "check_output_reconstruct": {
        "en": "reconstruct",
        "ja": "reconstruct の出力",
    },
    "check_output_generate_inference": {
        "en": "generate (inference mode)",
        "ja": "generate の出力（推論モード）",
    },
    "check_output_generate_settled": {
        "en": "generate (inference mode, the running statistics of a trained network)",
        "ja": "generate の出力（推論モード、学習済みネットワークの移動平均統計量）",
    },
    "check_output_generate_training": {
        "en": "generate (training mode)",
        "ja": "generate の出力（訓練モード）",
    },
    "check_output_discriminate": {
        "en": "discriminate (training={training})",
        "ja": "discriminate の出力（training={training}）",
    },
    "check_output_discriminate_spread": {
        "en": "discriminate (weights under which D reads only the minibatch spread)",
        "ja": "discriminate の出力（識別器 D がミニバッチの散らばりだけを読むようにした重み）",
    },
    "check_generic_autoencoder": {
        "en": "your network computes another function than the table's; check each layer against the docstring",
        "ja": "ネットワークが表とは別の関数を計算しています。各層を docstring と照らし合わせてください",
    },
    "check_generic_generator": {
        "en": "your generator computes another function than the table's; check each layer against the docstring "
              "(activations, BatchNorm's place and settings, the reshape of the dense output)",
        "ja": "生成器 G が表とは別の関数を計算しています。各層を docstring と照らし合わせてください（活性化関数、"
              "バッチ正規化の位置と設定、全結合層の出力の reshape）",
    },
    "check_generic_discriminator": {
        "en": "your discriminator computes another function than the table's; check each layer against the "
              "docstring (LeakyReLU(0.2), the flatten order, the sigmoid at the end)",
        "ja": "識別器 D が表とは別の関数を計算しています。各層を docstring と照らし合わせてください（LeakyReLU(0.2)、"
              "平坦化の順序、最後の sigmoid）",
    },
    "check_generic_inference_batchnorm": {
        "en": "in inference mode BatchNorm computes (x - running mean) / sqrt(running variance + epsilon) * gamma "
              "+ beta, with epsilon 1e-5",
        "ja": "推論モードのバッチ正規化は (x - 移動平均) / sqrt(移動分散 + epsilon) * gamma + beta を計算します"
              "（epsilon は 1e-5）",
    },
    "check_generic_training_batchnorm": {
        "en": "in training mode BatchNorm normalises with the batch's mean and biased variance",
        "ja": "訓練モードのバッチ正規化は、バッチの平均と標本分散（n で割る分散）で正規化します",
    },
    "check_generic_spread": {
        "en": "your minibatch spread differs from the reference's: for each group of {group} neighbouring images, "
              "the standard deviation of each feature over the group (biased, with SPREAD_EPSILON inside the square "
              "root), averaged over the features, repeated for each image",
        "ja": "ミニバッチの散らばりが参照実装と違います。隣り合う {group} 枚の画像のグループごとに、各特徴のグループ内"
              "での標準偏差（標本分散から。平方根の中に SPREAD_EPSILON を足す）を求め、特徴について平均し、"
              "それを各画像に繰り返して付けます",
    },
    "check_generate_inference_batch_statistics": {
        "en": "your generate(training=False) normalises with the batch's statistics: in inference mode BatchNorm "
              "must use its running statistics (model.eval() / training=False / chainer.using_config('train', False))",
        "ja": "generate(training=False) がバッチの統計量で正規化しています。推論モードのバッチ正規化は移動平均統計量を"
              "使う必要があります（model.eval() / training=False / chainer.using_config('train', False)）",
    },
    "check_inference_moved_statistics": {
        "en": "your generate(training=False) changed BatchNorm's running statistics ({name}): in inference mode "
              "they must stay as they are",
        "ja": "generate(training=False) がバッチ正規化の移動平均統計量を変えました（{name}）。推論モードでは"
              "変えてはいけません",
    },
    "check_generate_training_running_statistics": {
        "en": "your generate(training=True) gives the inference-mode images: in training mode BatchNorm normalises "
              "each batch with its own mean and variance (model.train() / training=True)",
        "ja": "generate(training=True) が推論モードと同じ画像を返しています。訓練モードのバッチ正規化は、各バッチを"
              "そのバッチ自身の平均と分散で正規化します（model.train() / training=True）",
    },
    "check_passed_reconstruct": {
        "en": "reconstruct to 1e-4 (largest difference {largest})",
        "ja": "reconstruct が 1e-4 以内で一致（最大の差 {largest}）",
    },
    "check_passed_gan_outputs": {
        "en": "generate and discriminate in both modes to 1e-4 (largest difference {largest}); BatchNorm's running "
              "statistics",
        "ja": "generate と discriminate が両方のモードで 1e-4 以内で一致（最大の差 {largest}）。バッチ正規化の"
              "移動平均統計量も一致",
    },
    "check_probe_no_pixel": {"en": "no pixel", "ja": "どのピクセルにもない"},
    "check_probe_pixel": {"en": "pixel {pixel}", "ja": "ピクセル {pixel}"},
    "check_probe_generator": {
        "en": "your generator puts a probe's one value at {seen} where the reference puts it at pixel {expected}: "
              "its stride-2 5x5 transposed convolutions are aligned differently; crop each full output (2n + 3) 2 "
              "before and 1 after (PyTorch padding=2, output_padding=1; TensorFlow crop=(2, 1); Keras "
              "Cropping2D(((2, 1), (2, 1))): common/weights.py)",
        "ja": "調べるための 1 つの値を、参照実装はピクセル {expected} に置きますが、あなたの生成器 G では"
              "「{seen}」です。ストライド 2・5x5 の転置畳み込みの位置合わせが違います。完全な出力（2n + 3）を"
              "それぞれ前で 2、後ろで 1 切り取ってください（PyTorch は padding=2, output_padding=1、TensorFlow は "
              "crop=(2, 1)、Keras は Cropping2D(((2, 1), (2, 1))): common/weights.py）",
    },
    "check_probe_discriminator": {
        "en": "your discriminator reads a probe image at {seen} where the reference reads pixel {expected}: its "
              "stride-2 5x5 convolutions are aligned differently; pad 2 zeros on every side (padding=2; "
              "TensorFlow's and Keras's padding='same' pads 1 before and 2 after: common/weights.py)",
        "ja": "調べるための画像を、参照実装はピクセル {expected} で読みますが、あなたの識別器 D は「{seen}」で"
              "読んでいます。ストライド 2・5x5 の畳み込みの位置合わせが違います。四辺すべてに 0 を 2 つずつ"
              "パディングしてください（padding=2。TensorFlow と Keras の padding='same' は前に 1、後ろに 2 "
              "パディングします: common/weights.py）",
    },
    # ----- 4. one training step -----------------------------------------------------------------
    "check_passed_two_steps": {
        "en": "two train_steps (losses, every weight)",
        "ja": "2 回の train_step（損失とすべての重み）",
    },
    "check_passed_d_step": {
        "en": "the D step (its loss, D's weights)",
        "ja": "D のステップ（その損失と D の重み）",
    },
    "check_passed_g_step": {
        "en": "the G step (its loss, G's weights and running statistics)",
        "ja": "G のステップ（その損失と G の重み、移動平均統計量）",
    },
    "check_second_g_loss_adam": {
        "en": "the first step agrees with the reference but the second does not (its g_loss is {found}, the "
              "reference's {expected}, after D's second update): Adam's beta1 or beta2 differs (beta1 0.5 for the "
              "GANs, 0.9 for the auto-encoders; beta2 0.999), or its state (m, v) was lost between the steps: "
              "build the optimizer once",
        "ja": "最初のステップは参照実装と一致しますが、2 回目は一致しません（D の 2 回目の更新の後で g_loss が "
              "{found}、参照実装では {expected}）。Adam の beta1 か beta2 が違う（beta1 は GAN で 0.5、"
              "オートエンコーダで 0.9。beta2 は 0.999）か、ステップの間で Adam の状態（m, v）が失われています。"
              "オプティマイザは 1 度だけ作ってください",
    },
    "check_second_step_loss": {
        "en": "the second train_step's {name} is {found}, the reference's {expected}, though the first step "
              "agreed: every step must start from the weights (and state) the previous one left",
        "ja": "最初のステップは一致したのに、2 回目の train_step の {name} が {found} です（参照実装では "
              "{expected}）。各ステップは、前のステップが残した重み（と状態）から始める必要があります",
    },
    "check_step_not_repeatable": {
        "en": "train_step's {name} is {found}, the reference's {expected}, though the same step from the same "
              "weights agreed a moment ago: train_step must depend only on its arguments and the model",
        "ja": "train_step の {name} が {found} です（参照実装では {expected}）。同じ重みからの同じステップは、"
              "直前には一致していました。train_step の結果は、引数とモデルだけで決まる必要があります",
    },
    "check_or_g_step_changed_d": {
        "en": "{sentence} (or G's step changed D as well: only G's optimizer may step there; in Keras 3, "
              "`trainable = False` set after compile does not freeze a model: name the variables each step updates)",
        "ja": "{sentence}（あるいは G のステップが D まで変えています。そこで更新してよいのは G のオプティマイザ"
              "だけです。Keras 3 では compile の後で `trainable = False` にしてもモデルは凍結されません。各ステップで"
              "更新する変数を明示してください）",
    },
    "check_d_step_not_implemented": {
        "en": "not implemented yet: D's step",
        "ja": "未実装: D のステップ",
    },
    "check_d_step_agrees_next": {
        "en": "D's step agrees with the reference (D's weights after it, to 1e-4); next, {sentence}",
        "ja": "D のステップは参照実装と一致しています（その後の D の重みが 1e-4 以内）。次は: {sentence}",
    },
    "check_d_step_weights_differ": {
        "en": "D's weights after D's step differ from the reference's by up to {largest} (in {name}): check D's "
              "loss (real images labelled 1, fakes 0, the binary cross-entropy averaged over both) and that D's "
              "optimizer steps once",
        "ja": "D のステップの後の D の重みが、参照実装と最大 {largest} 違います（{name}）。D の損失（本物の画像は"
              "ラベル 1、偽物は 0、両方にわたって平均したバイナリ交差エントロピー）と、D のオプティマイザが 1 回だけ"
              "更新していることを確かめてください",
    },
    "check_d_step_wrong_g_step_unwritten": {
        "en": "{mistake} (G's step is not written yet: {sentence})",
        "ja": "{mistake}（G のステップはまだ書かれていません: {sentence}）",
    },
    # ----- 5. a training run --------------------------------------------------------------------
    "check_figures_psnr": {
        "en": "{iterations} iterations: test PSNR {psnr} dB, SSIM {ssim}",
        "ja": "{iterations} 回の反復: テストの PSNR {psnr} dB、SSIM {ssim}",
    },
    "check_figures_swd": {
        "en": "{iterations} iterations: sliced Wasserstein distance {swd}",
        "ja": "{iterations} 回の反復: スライス Wasserstein 距離 {swd}",
    },
    "check_figures_digits": {
        "en": "{figures}, {share} of the samples confidently digits ({kinds} kinds); verdict: {verdict}",
        "ja": "{figures}、サンプルの {share} がはっきり数字と判定（{kinds} 種類）。判定: {verdict}",
    },
    "check_figures_folder": {
        "en": "{figures}; its files are in {folder}",
        "ja": "{figures}。出力ファイルは {folder} にあります",
    },
    # ----- common/check/diagnosis.py: where, the table, shapes ------------------------------------
    "check_where_pixel": {
        "en": "sample {sample}, pixel ({row}, {column}), channel {channel}",
        "ja": "サンプル {sample}、ピクセル ({row}, {column})、チャネル {channel}",
    },
    "check_where_sample": {
        "en": "sample {sample}",
        "ja": "サンプル {sample}",
    },
    "check_table": {
        "en": "the table (common/architectures.layer_table, {model} at {size}x{size}x{channels})",
        "ja": "層の表（common/architectures.layer_table、{size}x{size}x{channels} の {model}）",
    },
    "check_shapes_other_names": {
        "en": "your network has {extra} where {table} has {missing}: name the layers as the table does",
        "ja": "あなたのネットワークには {extra} がありますが、{table}では {missing} です。層の名前を表のとおりに付けてください",
    },
    "check_shapes_missing": {
        "en": "your network has no {missing}, which {table} has",
        "ja": "{table}にある {missing} が、あなたのネットワークにはありません",
    },
    "check_shapes_extra": {
        "en": "your network has {extra}, which {table} does not",
        "ja": "あなたのネットワークには、{table}にない {extra} があります",
    },
    "check_shape_differs": {
        "en": "{name} has shape {have} where {table} says {shape}: {hint}",
        "ja": "{name} の形状が {have} ですが、{table}では {shape} です。{hint}",
    },
    "check_hint_other_kind": {
        "en": "{layer} is another kind of layer than the table's",
        "ja": "{layer} が表とは別の種類の層になっています",
    },
    "check_hint_axes_swapped": {
        "en": "the axes are swapped; get_weights must give the layouts of common/weights.py",
        "ja": "軸が入れ替わっています。get_weights は common/weights.py の並びで重みを返す必要があります",
    },
    "check_hint_features": {
        "en": "{layer} has {have} features where the table has {table}",
        "ja": "{layer} の特徴数が {have} ですが、表では {table} です",
    },
    "check_hint_kernels": {
        "en": "{layer} has {have} kernels where the table has {table}",
        "ja": "{layer} のカーネルが {have} ですが、表では {table} です",
    },
    "check_hint_outputs": {
        "en": "{layer} has {have} outputs where the table has {table}",
        "ja": "{layer} の出力数が {have} ですが、表では {table} です",
    },
    "check_hint_inputs_spread": {
        "en": "{layer} takes {have} inputs where the table has {table}: the one more is the minibatch spread, "
              "appended to the flattened map before the dense layer (README, Q4)",
        "ja": "{layer} の入力数が {have} ですが、表では {table} です。足りない 1 つはミニバッチの散らばり"
              "（minibatch spread）で、平坦化した特徴マップの末尾に付け加えてから全結合層に渡します（README の Q4）",
    },
    "check_hint_inputs": {
        "en": "{layer} takes {have} inputs where the table has {table}",
        "ja": "{layer} の入力数が {have} ですが、表では {table} です",
    },
    # ----- arrays: shapes and ranges ------------------------------------------------------------
    "check_channels_first": {
        "en": "{what} returned shape {found}, channels first; the contract's images are {expected} (N, H, W, C): "
              "move the channels last before returning",
        "ja": "{what}がチャネルを先頭にした形状 {found} になっています。契約の画像は {expected}（N, H, W, C）です。"
              "返す前にチャネルを最後の軸に移してください",
    },
    "check_deconv_odd_size": {
        "en": "{what} returned shape {found}; expected {expected}: each 5x5 stride-2 transposed convolution must "
              "double the size exactly (n to 2n), and yours give 2n - 1 (Chainer: L.Deconvolution2D(..., pad=2, "
              "outsize=(2n, 2n)); PyTorch: padding=2, output_padding=1)",
        "ja": "{what}の形状が {found} になっています（期待する形状は {expected}）。5x5・ストライド 2 の転置畳み込みは"
              "どれもサイズをちょうど 2 倍（n から 2n）にする必要がありますが、あなたの層では 2n - 1 になっています"
              "（Chainer: L.Deconvolution2D(..., pad=2, outsize=(2n, 2n))、PyTorch: padding=2, output_padding=1）",
    },
    "check_other_shape": {
        "en": "{what} returned shape {found}; expected {expected}",
        "ja": "{what}の形状が {found} になっています。期待する形状は {expected} です",
    },
    "check_not_finite_output": {
        "en": "{what} returned NaN or infinite values",
        "ja": "{what}に NaN か無限大が含まれています",
    },
    "check_generator_sigmoid": {
        "en": "your generator ends in sigmoid: its outputs lie in [0, 1] but the images lie in [-1, 1]; use tanh",
        "ja": "生成器 G の最後が sigmoid になっています。出力は [0, 1] に収まりますが、画像は [-1, 1] の範囲です。"
              "tanh を使ってください",
    },
    "check_generator_out_of_range": {
        "en": "your generator's outputs reach {low} to {high}, outside [-1, 1] where the images lie: it must end in tanh",
        "ja": "生成器 G の出力が {low} から {high} まで広がり、画像の範囲 [-1, 1] をはみ出しています。"
              "最後は tanh にしてください",
    },
    "check_autoencoder_activation": {
        "en": "your auto-encoder ends in {activation}; the reference's last layer has no activation (the "
              "reconstructions are compared with the images as they are, by MSE)",
        "ja": "オートエンコーダの最後に {activation} が付いています。参照実装の最終層には活性化関数がありません"
              "（再構成画像は元の画像とそのまま MSE で比べます）",
    },
    "check_discriminator_logits": {
        "en": "your discriminator returns logits, not probabilities: its outputs reach {low} to {high}; end it in "
              "sigmoid (the loss is binary cross-entropy on probabilities)",
        "ja": "識別器 D が確率ではなくロジットを返しています（出力が {low} から {high} まで）。最後に sigmoid を"
              "付けてください（損失は確率に対するバイナリ交差エントロピーです）",
    },
    "check_discriminator_out_of_range": {
        "en": "your discriminator's outputs reach {low} to {high}: D must output a probability in [0, 1] (end it "
              "in sigmoid)",
        "ja": "識別器 D の出力が {low} から {high} まで広がっています。D は [0, 1] の確率を出力する必要があります"
              "（最後に sigmoid を付けてください）",
    },
    "check_shifted_by_one": {
        "en": "your output is the reference's shifted by one pixel, {direction}: a stride-2 5x5 layer is aligned "
              "differently; pad 2 on every side of a convolution and crop the full output of a transposed one 2 "
              "before and 1 after (common/weights.py)",
        "ja": "出力が参照実装の出力から{direction}へ 1 ピクセルずれています。ストライド 2・5x5 の層の位置合わせが"
              "違います。畳み込みでは四辺すべてに 2 ずつパディングし、転置畳み込みでは完全な出力を前で 2、後ろで 1 "
              "切り取ってください（common/weights.py）",
    },
    "check_direction_down": {"en": "down", "ja": "下"},
    "check_direction_up": {"en": "up", "ja": "上"},
    "check_direction_right": {"en": "right", "ja": "右"},
    "check_direction_left": {"en": "left", "ja": "左"},
    "check_direction_both": {
        "en": "{vertical} and {horizontal}",
        "ja": "{horizontal}{vertical}方向",  # 右下, 左上: Japanese names the side first
    },
    # ----- BatchNorm's running statistics -------------------------------------------------------
    "check_statistics_still": {
        "en": "{layer}'s running statistics did not move in a training-mode pass: BatchNorm must update its "
              "running mean and variance whenever it runs in training mode",
        "ja": "訓練モードで順伝播しても {layer} の移動平均統計量が変わりませんでした。バッチ正規化は訓練モードで"
              "動くたびに、移動平均と移動分散を更新する必要があります",
    },
    "check_statistics_rate": {
        "en": "{layer}'s running statistics move at the rate {rate} per training-mode pass, the reference's at "
              "0.1: running = 0.9 * running + 0.1 * batch (PyTorch momentum=0.1, Keras momentum=0.9, Chainer "
              "decay=0.9: common/architectures.BATCHNORM_RUNNING_RATE)",
        "ja": "{layer} の移動平均統計量が訓練モードの順伝播 1 回につき割合 {rate} で動いていますが、参照実装では "
              "0.1 です。running = 0.9 * running + 0.1 * batch としてください（PyTorch は momentum=0.1、Keras は "
              "momentum=0.9、Chainer は decay=0.9: common/architectures.BATCHNORM_RUNNING_RATE）",
    },
    "check_statistics_biased": {
        "en": "{layer}'s running variance takes the biased batch variance (divided by n, {ratio} of the "
              "reference's); PyTorch and Chainer keep the unbiased one (divided by n - 1) in it",
        "ja": "{layer} の移動分散に、バッチの標本分散（n で割ったもの。参照実装の {ratio} 倍）を取り込んでいます。"
              "PyTorch と Chainer はここに不偏分散（n - 1 で割ったもの）を保持します",
    },
    "check_statistics_differ": {
        "en": "{layer}'s running statistics after a training-mode pass differ from the reference's by up to {gap} "
              "({name})",
        "ja": "訓練モードで順伝播した後の {layer} の移動平均統計量が、参照実装と最大 {gap} 違います（{name}）",
    },
    # ----- losses ---------------------------------------------------------------------------------
    "check_loss_summed_over_batch": {
        "en": "your loss is summed over the batch instead of averaged ({times} times the mean): the MSE is the "
              "mean of the squared error over every pixel of every image",
        "ja": "損失をバッチについて平均せずに合計しています（平均の {times} 倍）。MSE は、すべての画像の"
              "すべてのピクセルにわたる二乗誤差の平均です",
    },
    "check_loss_summed_over_pixels": {
        "en": "your loss is summed over each image's pixels instead of averaged ({times} times the mean): the MSE "
              "is the mean of the squared error over every pixel of every image",
        "ja": "損失を各画像のピクセルについて平均せずに合計しています（平均の {times} 倍）。MSE は、すべての画像の"
              "すべてのピクセルにわたる二乗誤差の平均です",
    },
    "check_loss_summed": {
        "en": "your loss is summed instead of averaged ({times} times the mean): the MSE is the mean of the "
              "squared error over every pixel of every image",
        "ja": "損失を平均せずに合計しています（平均の {times} 倍）。MSE は、すべての画像のすべてのピクセルに"
              "わたる二乗誤差の平均です",
    },
    "check_loss_mae": {
        "en": "your loss is the mean absolute error; the reference's is the mean squared error",
        "ja": "損失が平均絶対誤差になっています。参照実装の損失は平均二乗誤差です",
    },
    "check_loss_rmse": {
        "en": "your loss is the root of the mean squared error; the reference's is the MSE itself",
        "ja": "損失が平均二乗誤差の平方根になっています。参照実装の損失は MSE そのものです",
    },
    "check_loss_half_mse": {
        "en": "your loss is half the mean squared error; the reference's is the MSE itself",
        "ja": "損失が平均二乗誤差の半分になっています。参照実装の損失は MSE そのものです",
    },
    "check_d_loss_labels_swapped": {
        "en": "your D loss has the labels swapped: real images must be labelled 1 and fakes 0",
        "ja": "識別器 D の損失でラベルが逆になっています。本物の画像のラベルは 1、偽物は 0 です",
    },
    "check_d_loss_sum_of_two": {
        "en": "your D loss is the sum of the real and the fake losses; the reference's is the mean over real and "
              "fakes together (half that sum)",
        "ja": "識別器 D の損失が、本物の損失と偽物の損失の和になっています。参照実装では本物と偽物をまとめた"
              "平均（その和の半分）です",
    },
    "check_d_step_fakes_inference": {
        "en": "your D step makes its fakes with G in inference mode; the reference runs G in training mode there "
              "(BatchNorm on the batch's statistics)",
        "ja": "D のステップで、偽物の画像を推論モードの生成器 G で作っています。参照実装ではここで G を訓練モード"
              "（バッチの統計量でバッチ正規化）で動かします",
    },
    "check_d_loss_summed": {
        "en": "your D loss is summed instead of averaged ({times} times the mean)",
        "ja": "識別器 D の損失を平均せずに合計しています（平均の {times} 倍）",
    },
    "check_d_loss_real_only": {
        "en": "your D loss counts the real images only; it must count the fakes (labelled 0) too",
        "ja": "識別器 D の損失が本物の画像しか数えていません。偽物（ラベル 0）も数える必要があります",
    },
    "check_d_loss_fakes_only": {
        "en": "your D loss counts the fakes only; it must count the real images (labelled 1) too",
        "ja": "識別器 D の損失が偽物しか数えていません。本物の画像（ラベル 1）も数える必要があります",
    },
    "check_g_loss_labels_zero": {
        "en": "your G loss labels the fakes 0: G must label its fakes 1 (\"real\"), so that it learns to fool D",
        "ja": "生成器 G の損失で偽物のラベルが 0 になっています。G が D をだますことを学ぶよう、G の損失では偽物に"
              "ラベル 1（「本物」）を付けてください",
    },
    "check_g_loss_saturating": {
        "en": "your G loss is log(1 - D(G(z))), the saturating form; minimise -log D(G(z)) instead: binary "
              "cross-entropy with the fakes labelled 1",
        "ja": "生成器 G の損失が飽和する形の log(1 - D(G(z))) になっています。代わりに -log D(G(z)) を最小化して"
              "ください（偽物にラベル 1 を付けたバイナリ交差エントロピー）",
    },
    "check_g_step_stale_d": {
        "en": "your G step scores the fakes with D as it was before the D step: run the D step first, then the G step",
        "ja": "G のステップで、D のステップ前の識別器 D で偽物を評価しています。先に D のステップ、次に G の"
              "ステップを実行してください",
    },
    "check_g_step_inference": {
        "en": "your G step runs G in inference mode; the reference runs it in training mode (BatchNorm on the "
              "batch's statistics)",
        "ja": "G のステップで生成器 G を推論モードで動かしています。参照実装では訓練モード（バッチの統計量で"
              "バッチ正規化）で動かします",
    },
    "check_g_loss_summed": {
        "en": "your G loss is summed instead of averaged ({times} times the mean)",
        "ja": "生成器 G の損失を平均せずに合計しています（平均の {times} 倍）",
    },
    "check_loss_name": {"en": "loss", "ja": "損失"},
    "check_d_loss_name": {"en": "D loss", "ja": "識別器 D の損失"},
    "check_g_loss_name": {"en": "G loss", "ja": "生成器 G の損失"},
    "check_loss_not_finite": {
        "en": "your {what} is {found}",
        "ja": "あなたの{what}が {found} になっています",
    },
    "check_loss_differs": {
        "en": "your {what} is {found}, the reference's {expected}: compare how yours is computed with the "
              "script's docstring (which outputs, which labels, mean over what)",
        "ja": "あなたの{what}は {found} で、参照実装では {expected} です。計算のしかたをスクリプトの docstring と"
              "見比べてください（どの出力を使うか、どのラベルか、何について平均するか）",
    },
    # ----- weights after a step -----------------------------------------------------------------
    "check_step_first": {"en": "train_step", "ja": "1 回目の train_step 呼び出し"},
    "check_step_second": {"en": "the second train_step", "ja": "2 回目の train_step 呼び出し"},
    "check_step_d": {"en": "the D step", "ja": "D のステップ"},
    "check_step_g": {"en": "the G step", "ja": "G のステップ"},
    "check_nan_uncleared_chainer": {
        "en": "{name} holds NaN after {what}, the first step, though its loss agreed: Chainer starts every "
              "gradient as NaN until it is cleared; call cleargrads() on the network before loss.backward() in "
              "each step (a NaN at the first step is never the learning rate)",
        "ja": "損失は一致しているのに、{what}（最初のステップ）の後で {name} が NaN になりました。Chainer の勾配は"
              "消去されるまで NaN から始まります。各ステップで loss.backward() の前にネットワークの cleargrads() を"
              "呼んでください（最初のステップで出る NaN の原因が学習率であることはありません）",
    },
    "check_weights_not_finite": {
        "en": "{name} holds NaN or infinity after {what}",
        "ja": "{what}の後で {name} が NaN か無限大を含んでいます",
    },
    "check_step_statistics": {
        "en": "the BatchNorm running statistics after {what} differ from the reference's ({name}): they move each "
              "time G runs in training mode, which it does once an iteration: train_step runs G once, and both "
              "steps use those fakes",
        "ja": "{what}の後のバッチ正規化の移動平均統計量が参照実装と違います（{name}）。移動平均統計量は生成器 G を"
              "訓練モードで動かすたびに変わり、G を動かすのは 1 回の反復につき 1 回です。train_step は G を 1 回だけ"
              "動かし、D と G の両方のステップがその偽物を使います",
    },
    "check_step_changed_nothing": {
        "en": "{what} changed no weight: after computing the gradients, apply them (optimizer.step() / "
              "apply_gradients / optimizer.update())",
        "ja": "{what}で重みが 1 つも変わりませんでした。勾配を計算したら、それを適用してください"
              "（optimizer.step() / apply_gradients / optimizer.update()）",
    },
    "check_step_left_unchanged": {
        "en": "{what} left {names} unchanged: its optimizer must update every weight of the network it trains",
        "ja": "{what}で {names} が変わっていません。オプティマイザは、学習させるネットワークのすべての重みを更新する"
              "必要があります",
    },
    "check_step_changed_others": {
        "en": "{what} changed {names}, which it must leave alone",
        "ja": "{what}が、触れてはいけない {names} を変えました",
    },
    "check_step_uphill": {
        "en": "{what} moved the weights the wrong way (uphill): minimise the loss, do not maximise it",
        "ja": "{what}が重みを逆向き（損失が増える向き）に動かしました。損失は最大化ではなく最小化してください",
    },
    "check_step_learning_rate": {
        "en": "{what} moved the weights {ratio} times as far as the reference: the learning rate is {found}, not "
              "{lr}; {rule}",
        "ja": "{what}が重みを参照実装の {ratio} 倍動かしました。学習率が {lr} ではなく {found} になっています。{rule}",
    },
    "check_lr_rule": {
        "en": "use the lr that build_optimizer receives",
        "ja": "build_optimizer が受け取る lr を使ってください",
    },
    "check_lr_rule_share": {
        "en": "G's Adam at lr * G_LR_SHARE ({share}), D's at lr",
        "ja": "G の Adam は lr * G_LR_SHARE（{share}）、D の Adam は lr で動かしてください",
    },
    "check_step_adam_epsilon": {
        "en": "{what} agrees with the reference where the gradients are large and differs where they are small: "
              "Adam's epsilon differs; use 1e-8, added to sqrt(v_hat) after the bias correction (PyTorch's Adam; "
              "TensorFlow and Keras default to 1e-7: common/architectures.ADAM_EPSILON)",
        "ja": "{what}が、勾配の大きいところでは参照実装と一致し、小さいところでは違います。Adam の epsilon が"
              "違います。1e-8 を使い、バイアス補正の後で sqrt(v_hat) に足してください（PyTorch の Adam と同じ。"
              "TensorFlow と Keras の既定値は 1e-7 です: common/architectures.ADAM_EPSILON）",
    },
    "check_step_adam_betas": {
        "en": "the first step agrees with the reference but {what} does not: Adam's beta1 or beta2 differs (beta1 "
              "0.5 for the GANs, 0.9 for the auto-encoders; beta2 0.999), or its state (m, v) was lost between the "
              "steps: build the optimizer once",
        "ja": "最初のステップは参照実装と一致しますが、{what}は一致しません。Adam の beta1 か beta2 が違う"
              "（beta1 は GAN で 0.5、オートエンコーダで 0.9。beta2 は 0.999）か、ステップの間で Adam の状態"
              "（m, v）が失われています。オプティマイザは 1 度だけ作ってください",
    },
    "check_step_weights_differ": {
        "en": "the weights after {what} differ from the reference's by up to {largest} (in {name}) though the loss "
              "agrees: the gradients or the optimizer differ (Adam with the lr given to build_optimizer, betas as "
              "in the docstring, epsilon 1e-8)",
        "ja": "損失は一致しているのに、{what}の後の重みが参照実装と最大 {largest} 違います（{name}）。勾配か"
              "オプティマイザが違います（build_optimizer に渡された lr、docstring のとおりの beta、epsilon 1e-8 の "
              "Adam を使ってください）",
    },
    # ----- a framework's error message, recognised ----------------------------------------------
    "check_error_fakes_not_detached": {
        "en": "D's step backpropagated through G's graph, which G's step needs after it: detach the fakes in D's "
              "step (fake_images.detach())",
        "ja": "D のステップが生成器 G の計算グラフまで誤差逆伝播しました。このグラフは後の G のステップで必要です。"
              "D のステップでは偽物の画像を計算グラフから切り離してください（fake_images.detach()）",
    },
    "check_error_optimizer_variables": {
        "en": "an optimizer was handed variables it was not built with: G's step must take the gradients of "
              "self.generator.trainable_variables only and apply them to those (D's step likewise with D's), the "
              "variables each optimizer was built with in compile",
        "ja": "オプティマイザに、作ったときとは別の変数が渡されました。G のステップでは "
              "self.generator.trainable_variables だけの勾配を求めてそれらに適用してください（D のステップも同様に "
              "D の変数だけ）。これは compile で各オプティマイザを作ったときの変数です",
    },
    "check_error_unpack_data": {
        "en": "Keras 3 calls train_step(data) with data = ((real_images, noise),) when train_on_batch gets x = "
              "(real_images, noise) and no y: unpack it with keras.utils.unpack_x_y_sample_weight(data), which "
              "gives (x, y, sample_weight)",
        "ja": "train_on_batch に x = (real_images, noise) を渡して y を渡さないと、Keras 3 は train_step(data) を "
              "data = ((real_images, noise),) で呼びます。keras.utils.unpack_x_y_sample_weight(data) で取り出して"
              "ください。これは (x, y, sample_weight) を返します",
    },
    # ----- common/check/support.py: loading and calling the file --------------------------------
    "check_syntax_error": {
        "en": "{path} has a syntax error at line {line}: {message}",
        "ja": "{path} の {line} 行目に構文エラーがあります: {message}",
    },
    "check_import_runs_main": {
        "en": "importing {path} runs it: call main() only under `if __name__ == \"__main__\":`",
        "ja": "{path} をインポートしただけで実行されてしまいます。main() は `if __name__ == \"__main__\":` の下でだけ"
              "呼んでください",
    },
    "check_error_text": {
        "en": ": {text}",
        "ja": "：{text}",  # the framework's message, or what it means (ERROR_MISTAKES), after the place
    },
    "check_not_implemented_text": {
        "en": ": {text}",
        "ja": "（{text}）",
    },
    "check_place_line": {
        "en": " ({path}, line {line})",
        "ja": "（{path} の {line} 行目）",
    },
    "check_place_in": {
        "en": " ({path}, line {line}, in {function})",
        "ja": "（{path} の {line} 行目、{function} の中）",
    },
    "check_reached_from": {
        "en": ", reached from {function}",
        "ja": "。{function} から呼ばれた箇所です",
    },
    "check_not_implemented": {
        "en": "not implemented yet: {part}{place} raises NotImplementedError{text}{reached}; fill it in, then run "
              "the checker again",
        "ja": "未実装: {part}{place}が NotImplementedError を送出しました{text}{reached}。ここを書いてから、もう一度"
              "チェッカーを実行してください",
    },
    "check_import_raised": {
        "en": "importing it raised {error}{text}{place}",
        "ja": "インポートで {error} が発生しました{place}{text}",
    },
    "check_training_raised": {
        "en": "your training raised {error}{text}{place}",
        "ja": "学習の実行中に {error} が発生しました{place}{text}",
    },
    "check_function_raised": {
        "en": "your {function} raised {error}{text}{place}",
        "ja": "あなたの {function} で {error} が発生しました{place}{text}",
    },
    "check_not_an_array": {
        "en": "your {function} returned {kind}, not a NumPy array",
        "ja": "あなたの {function} が NumPy 配列ではなく {kind} を返しました",
    },
    "check_weights_not_a_dict": {
        "en": "your get_weights returned {kind}, not a dict {{canonical name: NumPy array}}",
        "ja": "あなたの get_weights が辞書 {{正準名: NumPy 配列}} ではなく {kind} を返しました",
    },
    "check_weights_not_arrays": {
        "en": "your get_weights must return NumPy arrays (or what np.array turns into one)",
        "ja": "get_weights は NumPy 配列（または np.array で配列に変換できるもの）を返す必要があります",
    },
    "check_losses_not_a_dict": {
        "en": "your train_step must return {{{names}: float}}; it returned {found}",
        "ja": "train_step は {{{names}: float}} を返す必要がありますが、{found} を返しました",
    },
    "check_loss_not_a_number": {
        "en": "your {function} must return the loss as a number; it returned {kind}",
        "ja": "{function} は損失を数値で返す必要がありますが、{kind} を返しました",
    },
    # ----- the reference under a mistake --------------------------------------------------------
    "check_gradients_add_up": {
        "en": "the gradients add up across steps: call optimizer.zero_grad() before loss.backward() in every step "
              "(PyTorch adds each backward() to the gradients already there; the first step agrees because they "
              "start empty)",
        "ja": "勾配がステップをまたいで累積しています。毎ステップ、loss.backward() の前に optimizer.zero_grad() を"
              "呼んでください（PyTorch は backward() のたびに、すでにある勾配に足し込みます。最初のステップが一致する"
              "のは、勾配が空の状態から始まるからです）",
    },
    "check_gradients_of_add_up": {
        "en": "the gradients of {networks} add up across steps: call {call} before loss.backward() in that step "
              "(PyTorch adds each backward() to the gradients already there; the first step agrees because they "
              "start empty)",
        "ja": "{networks} の勾配がステップをまたいで累積しています。そのステップで loss.backward() の前に {call} を"
              "呼んでください（PyTorch は backward() のたびに、すでにある勾配に足し込みます。最初のステップが一致する"
              "のは、勾配が空の状態から始まるからです）",
    },
    "check_d_and_g": {"en": "D and G", "ja": "D と G"},
    "check_each_zero_grad": {"en": "each optimizer's zero_grad()", "ja": "それぞれのオプティマイザの zero_grad()"},
    "check_batchnorm_epsilon": {
        "en": "your BatchNorm's epsilon is {epsilon}{whose}; the reference's is {reference} "
              "(common/architectures.BATCHNORM_EPSILON): your outputs are close to the reference's but not equal, "
              "and equal with that epsilon",
        "ja": "バッチ正規化の epsilon が {epsilon}{whose}になっています。参照実装では {reference} です"
              "（common/architectures.BATCHNORM_EPSILON）。出力は参照実装に近いものの一致せず、その epsilon に"
              "すると一致します",
    },
    "check_epsilon_whose": {"en": " ({whose})", "ja": "（{whose}）"},
    "check_epsilon_keras": {"en": "Keras's default", "ja": "Keras の既定値"},
    "check_epsilon_chainer": {"en": "Chainer's default", "ja": "Chainer の既定値"},
    "check_epsilon_none": {"en": "none", "ja": "なし"},
    "check_spread_whole_batch": {
        "en": "your minibatch spread is taken over the whole batch; the reference's is over groups of {group} "
              "neighbouring images (common/architectures.SPREAD_GROUP), so that real images and fakes, which D sees "
              "in one batch, never share a group",
        "ja": "ミニバッチの散らばり（minibatch spread）をバッチ全体で計算しています。参照実装では隣り合う {group} 枚"
              "ずつのグループで計算します（common/architectures.SPREAD_GROUP）。こうすると、識別器 D が 1 つのバッチで"
              "見る本物の画像と偽物が同じグループに入ることはありません",
    },
    "check_spread_unbiased": {
        "en": "your minibatch spread uses the unbiased variance (divided by n - 1); the reference's is the biased "
              "one (divided by n, the group's {group}): unbiased=False in PyTorch, or the mean of squared deviations",
        "ja": "ミニバッチの散らばりに不偏分散（n - 1 で割ったもの）を使っています。参照実装は標本分散（biased "
              "variance。グループの枚数 n = {group} で割ったもの）です。PyTorch なら unbiased=False、または偏差の二乗の"
              "平均を使ってください",
    },
    "check_flatten_channels_first": {
        "en": "your network flattens (or reshapes) channels-first, (C, H, W); the weights are in (height, width, "
              "channels) order: move the channels last before a flatten and after a reshape (common/weights.py, "
              "'Flatten order')",
        "ja": "ネットワークがチャネル先頭の (C, H, W) の順に平坦化（または reshape）しています。重みは (height, "
              "width, channels) の順です。平坦化の前と reshape の後で、チャネルを最後の軸に移してください"
              "（common/weights.py の 'Flatten order'）",
    },
    "check_missing_relu": {
        "en": "your network seems to have no ReLU after {layer}: with that layer's outputs all negative, the "
              "reference's ReLU turns them to 0 and yours lets them through",
        "ja": "{layer} の後に ReLU がないようです。その層の出力をすべて負にすると、参照実装では ReLU がそれらを 0 に"
              "しますが、あなたのネットワークではそのまま通ります",
    },
}
